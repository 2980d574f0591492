import { silentLogger } from '@tars-ts/rpc';
import { describe, expect, it } from 'vitest';
import { StateReporter, type StateReport } from './state-reporter.ts';
import { eventually } from './testing/harness.ts';

const r = (present: string, pid = 1): StateReport => ({ setting: 'Active', present, pid });

describe('StateReporter', () => {
  it('sends reports one at a time, in order', async () => {
    const log: string[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const reporter = new StateReporter(async (x) => {
      // Counted, not asserted here: the reporter catches what the sender throws and retries.
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await new Promise((res) => setTimeout(res, 5));
      log.push(x.present);
      inFlight--;
    }, silentLogger);
    for (const p of ['Inactive', 'Activating', 'Active']) reporter.push(r(p));
    await reporter.flush(1000);
    expect(log).toEqual(['Inactive', 'Activating', 'Active']);
    expect(maxInFlight).toBe(1);
  });

  it('retries the newest report until it gets through, dropping superseded failures', async () => {
    let failures = 2;
    const sent: string[] = [];
    const reporter = new StateReporter(async (x) => {
      if (failures-- > 0) throw new Error('registry away');
      sent.push(x.present);
    }, silentLogger, { retryMs: 10 });
    reporter.push(r('Activating'));
    reporter.push(r('Active'));
    await eventually(() => sent.length > 0, 2000, 'a report');
    // The first failure dropped Activating (Active was queued behind it); Active failed once and was retried.
    expect(sent).toEqual(['Active']);
    expect(reporter.dropped).toBe(1);
  });

  it('bounds the queue', async () => {
    const pending: Array<() => void> = [];
    const sent: number[] = [];
    const reporter = new StateReporter((x) => new Promise<void>((res) => pending.push(() => (sent.push(x.pid), res()))), silentLogger, { limit: 3 });
    for (let i = 0; i < 10; i++) reporter.push(r('Active', i));
    // Report 0 is in flight; of the nine waiting, the oldest six were dropped.
    expect(reporter.dropped).toBe(6);
    while (sent.length < 4) {
      await eventually(() => pending.length > 0, 1000, 'a send');
      pending.shift()!();
    }
    await reporter.flush(1000);
    expect(sent).toEqual([0, 7, 8, 9]);
  });
});
