import { afterEach, describe, expect, it } from 'vitest';
import { Health } from './health.ts';
import { startMonitorServer, type MonitorServer } from './http-server.ts';
import { ServiceMetrics } from './metrics.ts';

let server: MonitorServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('ServiceMetrics', () => {
  it('labels every series with app and server and reuses metrics by name', async () => {
    const metrics = new ServiceMetrics({ app: 'tars', server: 'tarsstat', defaultMetrics: false });
    const calls = metrics.counter('tars_requests_total', 'Requests handled', ['method']);
    expect(metrics.counter('tars_requests_total', 'Requests handled', ['method'])).toBe(calls);
    calls.inc({ method: 'reportMicMsg' }, 3);
    metrics.histogram('tars_request_seconds', 'Request time', ['method'], [0.01, 0.1]).observe({ method: 'x' }, 0.05);
    const text = await metrics.metrics();
    expect(text).toContain('tars_requests_total{method="reportMicMsg",app="tars",server="tarsstat"} 3');
    expect(text).toContain('tars_request_seconds_bucket{le="0.1",app="tars",server="tarsstat",method="x"} 1');
    expect(text).toContain('tars_request_seconds_bucket{le="0.01",app="tars",server="tarsstat",method="x"} 0');
    expect(() => metrics.gauge('tars_requests_total', 'clash')).toThrow('already registered as a different type');
  });

  it('keeps two services in one process apart and collects default metrics', async () => {
    const a = new ServiceMetrics({ app: 'tars', server: 'a' });
    const b = new ServiceMetrics({ app: 'tars', server: 'b', defaultMetrics: false });
    a.counter('only_in_a', 'x').inc();
    expect(await b.metrics()).not.toContain('only_in_a');
    expect(await a.metrics()).toMatch(/process_cpu_user_seconds_total\{app="tars",server="a"\}/);
  });
});

describe('monitor HTTP server', () => {
  it('serves /metrics, /healthz and 404/405 over real HTTP', async () => {
    const metrics = new ServiceMetrics({ app: 'tars', server: 'web', defaultMetrics: false });
    metrics.gauge('queue_depth', 'Queue depth').set(7);
    server = await startMonitorServer({ metrics, health: new Health(), port: 0, host: '127.0.0.1' });
    const m = await fetch(`${server.url}/metrics`);
    expect(m.status).toBe(200);
    expect(m.headers.get('content-type')).toContain('text/plain');
    expect(await m.text()).toContain('queue_depth{app="tars",server="web"} 7');
    const h = await fetch(`${server.url}/healthz`);
    expect([h.status, await h.text()]).toEqual([200, 'ok\n']);
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    expect((await fetch(`${server.url}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('answers /readyz 503 until started and while any check fails, with the reasons', async () => {
    const health = new Health({ checkTimeoutMs: 100 });
    let storeUp = false;
    health.addReadinessCheck('store', () => (storeUp ? true : 'store unreachable'));
    health.addReadinessCheck('hangs', () => new Promise(() => {}));
    health.addReadinessCheck('throws', () => {
      throw new Error('bad state');
    });
    server = await startMonitorServer({ metrics: new ServiceMetrics({ app: 'a', server: 'b', defaultMetrics: false }), health, port: 0, host: '127.0.0.1' });

    let r = await fetch(`${server.url}/readyz`);
    expect(r.status).toBe(503);
    expect(await r.text()).toBe(
      ['[-] started: service is starting or stopping', '[-] store: store unreachable', '[-] hangs: timed out after 100 ms', '[-] throws: bad state', ''].join('\n'),
    );

    health.setReady(true);
    storeUp = true;
    health.removeReadinessCheck('hangs');
    health.removeReadinessCheck('throws');
    r = await fetch(`${server.url}/readyz`);
    expect([r.status, await r.text()]).toEqual([200, '[+] started ok\n[+] store ok\n']);

    health.setReady(false);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
    expect(() => health.addReadinessCheck('store', () => true)).toThrow('already registered');
  });

  it('fails to start on a port in use', async () => {
    const metrics = new ServiceMetrics({ app: 'a', server: 'b', defaultMetrics: false });
    server = await startMonitorServer({ metrics, health: new Health(), port: 0, host: '127.0.0.1' });
    await expect(startMonitorServer({ metrics, health: new Health(), port: server.port, host: '127.0.0.1' })).rejects.toThrow('EADDRINUSE');
  });
});
