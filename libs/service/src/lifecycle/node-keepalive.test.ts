import type { NodeF } from '@tars-ts/interfaces';
import { afterEach, describe, expect, it } from 'vitest';
import { NodeKeepAlive, type NodeServerF } from './node-keepalive.ts';

/** A tarsnode stand-in at the interface level that can be switched off. */
class RecordingNode implements NodeServerF {
  calls: string[] = [];
  down = false;
  keepAlive(info: NodeF.ServerInfo): Promise<number> {
    return this.answer(`keepAlive ${info.application}.${info.serverName} ${info.pid}`);
  }
  keepActiving(info: NodeF.ServerInfo): Promise<number> {
    return this.answer(`keepActiving ${info.application}.${info.serverName}`);
  }
  reportVersion(app: string, server: string, version: string): Promise<number> {
    return this.answer(`reportVersion ${app}.${server} ${version}`);
  }
  private answer(call: string): Promise<number> {
    if (this.down) return Promise.reject(new Error('connection refused'));
    this.calls.push(call);
    return Promise.resolve(0);
  }
}

let beat: NodeKeepAlive | undefined;
afterEach(() => beat?.stop());

describe('NodeKeepAlive', () => {
  it('sends keepActiving while starting, then reportVersion once and keepAlive periodically', async () => {
    const node = new RecordingNode();
    beat = new NodeKeepAlive({ node, app: 'A', server: 'S', pid: 7, version: '1.0', intervalMs: 20, activatingIntervalMs: 20 });
    beat.activating();
    await expect.poll(() => node.calls.length).toBeGreaterThanOrEqual(2);
    expect(new Set(node.calls)).toEqual(new Set(['keepActiving A.S']));
    node.calls = [];
    beat.start();
    beat.start();
    beat.activating(); // too late: already serving
    await expect.poll(() => node.calls.filter((c) => c.startsWith('keepAlive')).length).toBeGreaterThanOrEqual(3);
    expect(node.calls.filter((c) => c.startsWith('reportVersion'))).toEqual(['reportVersion A.S 1.0']);
    expect(node.calls.some((c) => c.startsWith('keepActiving'))).toBe(false);
    expect(node.calls).toContain('keepAlive A.S 7');
    beat.stop();
    const count = node.calls.length;
    await new Promise((r) => setTimeout(r, 60));
    expect(node.calls.length).toBe(count);
  });

  it('logs the first failure of a run and the recovery, not every beat', async () => {
    const node = new RecordingNode();
    const warnings: string[] = [];
    const infos: string[] = [];
    const logger = { debug: () => {}, info: (m: string) => void infos.push(m), warn: (m: string) => void warnings.push(m), error: () => {} };
    node.down = true;
    beat = new NodeKeepAlive({ node, app: 'A', server: 'S', version: '1', intervalMs: 10, logger });
    beat.start();
    await new Promise((r) => setTimeout(r, 80));
    expect(warnings).toEqual(['reportVersion to tarsnode failed: connection refused', 'keepAlive to tarsnode failed: connection refused']);
    node.down = false;
    await expect.poll(() => infos).toEqual(['keepAlive to tarsnode works again']);
  });
});
