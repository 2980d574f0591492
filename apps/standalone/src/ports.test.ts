import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { checkPortsFree, parsePortBase, PortError, PortMap } from './ports.ts';

describe('port base', () => {
  it('keeps the Kubernetes ports at the default base and moves the whole block otherwise', () => {
    const k8s = new PortMap();
    expect([17890, 11111, 10000, 8080].map((p) => k8s.map(p, 'x'))).toEqual([17890, 11111, 10000, 8080]);
    const moved = new PortMap(24_000);
    expect([17890, 11111, 10000, 8080].map((p) => moved.map(p, 'x'))).toEqual([31890, 25111, 24000, 22080]);
  });

  it('names the port that leaves 1..65535', () => {
    expect(() => new PortMap(56_000).map(19_999 + 10_000, 'TServer a-b servant Obj')).toThrow(/TServer a-b servant Obj: port 29999 moved by base 56000 gives 75999/);
  });

  it('parses only whole numbers in range', () => {
    expect(parsePortBase('24000')).toBe(24_000);
    for (const bad of ['', 'abc', '1.5', '-1', '80', '60000']) expect(() => parsePortBase(bad)).toThrow(PortError);
  });
});

describe('checkPortsFree', () => {
  it('lists every busy port with the object that wanted it', async () => {
    const busy: Server = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const port = (busy.address() as { port: number }).port;
    try {
      await expect(checkPortsFree([{ host: '127.0.0.1', port, owner: 'tars.tarsconfig.ConfigObj' }])).rejects.toThrow(
        new RegExp(`127\\.0\\.0\\.1:${port} for tars\\.tarsconfig\\.ConfigObj: in use`),
      );
      await expect(checkPortsFree([
        { host: '127.0.0.1', port: port + 1, owner: 'a.b.A' },
        { host: '127.0.0.1', port: port + 1, owner: 'a.b.B' },
      ])).rejects.toThrow(/planned twice \(a\.b\.A and a\.b\.B\)/);
    } finally {
      busy.close();
    }
    await expect(checkPortsFree([{ host: '127.0.0.1', port, owner: 'x' }])).resolves.toBeUndefined();
  });
});
