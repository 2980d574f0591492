import { describe, expect, it } from 'vitest';
import { EndpointSyntaxError, endpointKey, formatEndpoint, parseEndpoint, parseEndpoints, parseProxyString } from './endpoint.ts';

describe('endpoint strings', () => {
  it('parses protocol, host, port and idle timeout; ignores flags it does not use', () => {
    expect(parseEndpoint('tcp -h 10.0.0.1 -p 17890 -t 60000')).toEqual({ protocol: 'tcp', host: '10.0.0.1', port: 17890, timeout: 60000 });
    expect(parseEndpoint('  UDP   -p 1  -h host.example  ')).toEqual({ protocol: 'udp', host: 'host.example', port: 1, timeout: 0 });
    expect(parseEndpoint('tcp -h a -p 2 -e 0 -g 3 -t 5')).toEqual({ protocol: 'tcp', host: 'a', port: 2, timeout: 5 });
  });

  it('rejects what it cannot use, saying why', () => {
    expect(() => parseEndpoint('http -h a -p 1')).toThrow(/tcp, udp or ssl/);
    expect(() => parseEndpoint('tcp -p 1')).toThrow(/missing -h/);
    expect(() => parseEndpoint('tcp -h a')).toThrow(/-p port/);
    expect(() => parseEndpoint('tcp -h a -p 70000')).toThrow(/-p port/);
    expect(() => parseEndpoint('tcp -h a -p x1')).toThrow(/-p must be a number/);
    expect(() => parseEndpoint('tcp a -h b -p 1')).toThrow(EndpointSyntaxError);
  });

  it('splits lists on ":" and proxy strings on "@"', () => {
    expect(parseEndpoints('tcp -h a -p 1:tcp -h b -p 2 -t 9:').map(formatEndpoint)).toEqual(['tcp -h a -p 1', 'tcp -h b -p 2 -t 9']);
    expect(parseProxyString('App.S.Obj')).toEqual({ objectName: 'App.S.Obj' });
    const t = parseProxyString('App.S.Obj@tcp -h a -p 1:tcp -h b -p 2');
    expect(t.objectName).toBe('App.S.Obj');
    expect(t.endpoints!.map(endpointKey)).toEqual(['tcp:a:1', 'tcp:b:2']);
    expect(() => parseProxyString('@tcp -h a -p 1')).toThrow(/empty object name/);
    expect(() => parseProxyString('Obj@')).toThrow(/no endpoint/);
  });
});
