// The servant's own rules, with the cluster write recorded (the real write is covered by
// registry-kube.test.ts): validation before any write, retries, and what a caller sees.
import { describe, expect, it } from 'vitest';
import { NotFoundError } from '@tars-ts/cluster';
import { silentLogger, TarsError, type Current } from '@tars-ts/rpc';
import { RegistryServant } from './registry-servant.ts';

const current = (context: Record<string, string> = {}) => ({ context: new Map(Object.entries(context)) }) as unknown as Current;

function servant(failures: unknown[] = []) {
  const writes: string[] = [];
  const s = new RegistryServant({
    endpoint: () => undefined,
    template: () => undefined,
    reportState: async (pod, setting, present, pid) => {
      writes.push(`${pod} ${setting}/${present}/${pid ?? '-'}`);
      const f = failures.shift();
      if (f) throw f;
    },
    logger: silentLogger,
    attempts: 3,
    retryDelayMs: 1,
  });
  return { s, writes };
}

describe('RegistryServant.updateServerState', () => {
  it('writes the states with the caller PID', async () => {
    const { s, writes } = servant();
    await s.updateServerState(current({ PID: '123' }), 'test-helloserver-0', 'Active', 'Active');
    await s.updateServerState(current({ PID: '1;rm' }), 'test-helloserver-0', 'Active', 'Deactivating');
    expect(writes).toEqual(['test-helloserver-0 Active/Active/123', 'test-helloserver-0 Active/Deactivating/-']);
  });

  it.each([
    ['pod name with a slash', '../x', 'Active', 'Active', /invalid pod name/],
    ['upper-case pod name', 'Test-0', 'Active', 'Active', /invalid pod name/],
    ['empty pod name', '', 'Active', 'Active', /invalid pod name/],
    ['state with a slash', 'p-0', 'Active/Active', 'Active', /invalid state/],
    ['empty state', 'p-0', 'Active', '', /invalid state/],
    ['huge state', 'p-0', 'A'.repeat(10_000), 'Active', /invalid state/],
  ])('refuses %s without writing', async (_n, pod, setting, present, message) => {
    const { s, writes } = servant();
    await expect(s.updateServerState(current(), pod, setting, present)).rejects.toThrow(message);
    expect(writes).toEqual([]);
  });

  it('retries transient failures, then reports them', async () => {
    const ok = servant([new Error('connection reset')]);
    await ok.s.updateServerState(current(), 'p-0', 'Active', 'Active');
    expect(ok.writes.length).toBe(2);
    const failing = servant([new Error('e1'), new Error('e2'), new Error('e3')]);
    const err = await failing.s.updateServerState(current(), 'p-0', 'Active', 'Active').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TarsError);
    expect(err).toMatchObject({ code: -1, message: expect.stringMatching(/e3/) });
    expect(failing.writes.length).toBe(3);
  });

  it('does not retry a missing pod', async () => {
    const { s, writes } = servant([new NotFoundError('pods "p-0" not found')]);
    await expect(s.updateServerState(current(), 'p-0', 'Active', 'Active')).rejects.toThrow(/pod p-0 not found/);
    expect(writes.length).toBe(1);
  });
});
