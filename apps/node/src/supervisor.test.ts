import { describe, expect, it } from 'vitest';
import { backoffDelay, initialState, step, type SupervisorEffect, type SupervisorEvent, type SupervisorOptions, type SupervisorState } from './supervisor.ts';

const opts: SupervisorOptions = {
  app: 'Test', server: 'S', backoffBaseMs: 100, backoffMaxMs: 400, stableAfterMs: 1000, stopGraceMs: 500, killGraceMs: 200, reportIntervalMs: 10_000,
};

/** Runs events from the initial state (first tick at t=1, so the periodic report is not due). */
function run(events: SupervisorEvent[], from: SupervisorState = { ...initialState(), lastReportAt: 1 }): { state: SupervisorState; effects: SupervisorEffect[][] } {
  let state = from;
  const effects: SupervisorEffect[][] = [];
  for (const e of events) {
    const r = step(opts, state, e);
    state = r.state;
    effects.push(r.effects);
  }
  return { state, effects };
}

const launched = (now: number, pid = 42): SupervisorEvent => ({ type: 'launched', now, pid, heartTimeoutMs: 1000, adapters: ['A.S.ObjAdapter', 'AdminAdapter'] });
const types = (effects: SupervisorEffect[]) => effects.map((e) => e.type);

describe('backoffDelay', () => {
  const table: Array<[number, number]> = [[0, 0], [1, 100], [2, 200], [3, 400], [4, 400], [50, 400]];
  for (const [failures, delay] of table) it(`${failures} failures → ${delay} ms`, () => expect(backoffDelay(failures, 100, 400)).toBe(delay));
});

describe('supervisor state machine', () => {
  it('launches on the first tick and reports Activating once launched', () => {
    const { state, effects } = run([{ type: 'tick', now: 1 }, launched(2)]);
    expect(types(effects[0])).toEqual(['launch']);
    expect(effects[1]).toEqual([{ type: 'report', setting: 'Active', present: 'Activating', pid: 42 }]);
    expect(state).toMatchObject({ present: 'Activating', pid: 42, launches: 1, heartbeats: { 'A.S.ObjAdapter': 2, AdminAdapter: 2 } });
  });

  it('does not launch twice while a launch is pending', () => {
    const { effects } = run([{ type: 'tick', now: 1 }, { type: 'tick', now: 2 }, { type: 'tick', now: 3 }]);
    expect(effects.flat().filter((e) => e.type === 'launch')).toHaveLength(1);
  });

  it('turns Active on keepAlive and back to Activating on keepActiving, reporting each transition once', () => {
    const { state, effects } = run([
      { type: 'tick', now: 1 }, launched(2),
      { type: 'keepAlive', now: 3, adapter: '', pid: 43 },
      { type: 'keepAlive', now: 4, adapter: '', pid: 43 },
      { type: 'keepActiving', now: 5, pid: 43 },
    ]);
    expect(effects[2]).toEqual([{ type: 'report', setting: 'Active', present: 'Active', pid: 43 }]);
    expect(effects[3]).toEqual([]);
    expect(effects[4]).toEqual([{ type: 'report', setting: 'Active', present: 'Activating', pid: 43 }]);
    expect(state.reportedPid).toBe(43);
  });

  it('refreshes one adapter, or all with an empty adapter name', () => {
    const { state } = run([{ type: 'tick', now: 1 }, launched(2), { type: 'keepAlive', now: 500, adapter: 'AdminAdapter', pid: 42 }]);
    expect(state.heartbeats).toEqual({ 'A.S.ObjAdapter': 2, AdminAdapter: 500 });
    const all = run([{ type: 'keepAlive', now: 700, adapter: '', pid: 42 }], state).state;
    expect(all.heartbeats).toEqual({ 'A.S.ObjAdapter': 700, AdminAdapter: 700 });
  });

  it('restarts when one adapter misses its heartbeat deadline', () => {
    const base = run([{ type: 'tick', now: 1 }, launched(2), { type: 'keepAlive', now: 900, adapter: 'AdminAdapter', pid: 42 }]).state;
    const early = run([{ type: 'tick', now: 1002 }], base);
    expect(early.effects[0]).toEqual([]);
    const late = run([{ type: 'tick', now: 1003 }], base);
    expect(types(late.effects[0])).toEqual(['notify', 'report', 'shutdown']);
    expect((late.effects[0][0] as { message: string }).message).toMatch(/^\[alarm\] heartbeat overtime, will restart process \(adapter A\.S\.ObjAdapter/);
    const after = run([{ type: 'exited', now: 1100, pid: 42, code: 0, signal: null }, { type: 'tick', now: 1199 }, { type: 'tick', now: 1200 }], late.state);
    expect(after.effects[0][0]).toMatchObject({ type: 'exitRecord', record: { reason: 'heartbeat-timeout', code: 0, restartInMs: 100 } });
    expect(types(after.effects[1])).toEqual([]);
    expect(types(after.effects[2])).toEqual(['launch']);
  });

  it('records a crash and backs off: 100, 200, 400, 400 ms', () => {
    let state: SupervisorState = { ...initialState(), lastReportAt: 1 };
    const delays: Array<number | undefined> = [];
    let now = 1;
    for (let i = 0; i < 4; i++) {
      const r = run([{ type: 'tick', now }, launched(now + 1, 100 + i), { type: 'exited', now: now + 50, pid: 100 + i, code: 3, signal: null }], state);
      const record = r.effects[2].find((e) => e.type === 'exitRecord');
      expect(record).toMatchObject({ record: { reason: 'crash', code: 3, signal: null, pid: 100 + i, runtimeMs: 49 } });
      expect(r.effects[2]).toContainEqual({ type: 'notify', message: '[alarm] server exit with code 3' });
      delays.push((record as { record: { restartInMs?: number } }).record.restartInMs);
      state = r.state;
      now = state.nextLaunchAt;
      expect(run([{ type: 'tick', now: now - 1 }], state).effects[0]).toEqual([]);
    }
    expect(delays).toEqual([100, 200, 400, 400]);
  });

  it('names the signal of a killed server and starts the count over after a stable run', () => {
    const crashed = run([{ type: 'tick', now: 1 }, launched(2), { type: 'exited', now: 100, pid: 42, code: null, signal: 'SIGSEGV' }]);
    expect(crashed.effects[2]).toContainEqual({ type: 'notify', message: '[alarm] server exit with signal SIGSEGV' });
    expect(crashed.state.failures).toBe(1);
    const again = run([{ type: 'tick', now: 200 }, launched(200, 43), { type: 'exited', now: 300, pid: 43, code: 1, signal: null }], crashed.state);
    expect(again.state.failures).toBe(2);
    const stable = run([{ type: 'tick', now: 700 }, launched(700, 44), { type: 'exited', now: 1700, pid: 44, code: 1, signal: null }], again.state);
    expect(stable.state.failures).toBe(1);
  });

  it('records a spawn failure and backs off', () => {
    const { state, effects } = run([{ type: 'tick', now: 1 }, { type: 'launchFailed', now: 2, error: 'cannot start x: ENOENT', spawned: true }]);
    expect(effects[1][0]).toMatchObject({ type: 'exitRecord', record: { reason: 'spawn-failed', pid: 0, error: 'cannot start x: ENOENT', restartInMs: 100 } });
    expect(state).toMatchObject({ present: 'Inactive', launching: false, nextLaunchAt: 102 });
  });

  it('alarms without an exit record when nothing was spawned', () => {
    const { effects } = run([{ type: 'tick', now: 1 }, { type: 'launchFailed', now: 2, error: 'no descriptor', spawned: false }]);
    expect(effects[1]).toEqual([{ type: 'notify', message: '[alarm] no descriptor' }]);
  });

  it('stops: Deactivating, shutdown, SIGKILL after the grace period, give up after the kill grace', () => {
    const up = run([{ type: 'tick', now: 1 }, launched(2), { type: 'keepAlive', now: 3, adapter: '', pid: 42 }]).state;
    const r = run([
      { type: 'stop', now: 10 },
      { type: 'tick', now: 509 },
      { type: 'tick', now: 510 },
      { type: 'tick', now: 709 },
      { type: 'tick', now: 710 },
      { type: 'tick', now: 711 },
    ], up);
    expect(r.effects[0]).toEqual([{ type: 'report', setting: 'Inactive', present: 'Deactivating', pid: 42 }, { type: 'shutdown', pid: 42 }]);
    expect(r.effects[1]).toEqual([]);
    expect(r.effects[2]).toEqual([{ type: 'kill', pid: 42 }]);
    expect(r.effects[3]).toEqual([]);
    expect(types(r.effects[4])).toEqual(['giveUp']);
    expect(types(r.effects[5])).toEqual([]);
  });

  it('a stopped server stays down until start', () => {
    const up = run([{ type: 'tick', now: 1 }, launched(2)]).state;
    const down = run([{ type: 'stop', now: 10 }, { type: 'exited', now: 20, pid: 42, code: 0, signal: null }, { type: 'tick', now: 5000 }], up);
    expect(down.effects[1]).toEqual([
      { type: 'exitRecord', record: expect.objectContaining({ reason: 'stop', restartInMs: undefined }) },
      { type: 'report', setting: 'Inactive', present: 'Inactive', pid: 0 },
      { type: 'stopped' },
    ]);
    expect(types(down.effects[2])).toEqual([]);
    const started = run([{ type: 'start', now: 5001 }], down.state);
    expect(started.effects[0]).toEqual([{ type: 'report', setting: 'Active', present: 'Inactive', pid: 0 }, { type: 'launch' }]);
  });

  it('stop while nothing runs reports and is done at once; stop during a launch waits for it', () => {
    const idle = run([{ type: 'stop', now: 1 }]);
    expect(idle.effects[0]).toEqual([{ type: 'report', setting: 'Inactive', present: 'Inactive', pid: 0 }, { type: 'stopped' }]);
    const pending = run([{ type: 'tick', now: 1 }, { type: 'stop', now: 2 }, launched(3)]);
    expect(types(pending.effects[1])).toEqual(['report']);
    expect(types(pending.effects[2])).toEqual(['report', 'report', 'shutdown']);
    expect(pending.state.present).toBe('Deactivating');
  });

  it('restart stops and relaunches at once, without backoff', () => {
    const crashedOnce = run([{ type: 'tick', now: 1 }, launched(2), { type: 'exited', now: 10, pid: 42, code: 1, signal: null }, { type: 'tick', now: 110 }, launched(111, 43)]).state;
    expect(crashedOnce.failures).toBe(1);
    const r = run([{ type: 'restart', now: 200 }, { type: 'exited', now: 210, pid: 43, code: 0, signal: null }], crashedOnce);
    expect(types(r.effects[0])).toEqual(['report', 'shutdown']);
    expect(r.effects[1][0]).toMatchObject({ type: 'exitRecord', record: { reason: 'restart', restartInMs: 0 } });
    expect(types(r.effects[1])).toEqual(['exitRecord', 'report', 'launch']);
    expect(r.state.failures).toBe(0);
  });

  it('ignores exits of processes it no longer tracks and heartbeats while stopping', () => {
    const up = run([{ type: 'tick', now: 1 }, launched(2)]).state;
    expect(run([{ type: 'exited', now: 5, pid: 7, code: 0, signal: null }], up).effects[0]).toEqual([]);
    const stopping = run([{ type: 'stop', now: 10 }], up).state;
    expect(run([{ type: 'keepAlive', now: 11, adapter: '', pid: 42 }], stopping).effects[0]).toEqual([]);
  });

  it('re-reports the state every report interval', () => {
    const up = run([{ type: 'tick', now: 1 }, launched(2)]).state;
    expect(run([{ type: 'tick', now: 900 }], { ...up, heartbeats: {} }).effects[0]).toEqual([]);
    expect(run([{ type: 'tick', now: 10_002 }], { ...up, heartbeats: {} }).effects[0]).toEqual([{ type: 'report', setting: 'Active', present: 'Activating', pid: 42 }]);
  });

  it('without heartbeats: Active once running, never restarted for silence', () => {
    const r = run([{ type: 'tick', now: 1 }, { type: 'launched', now: 2, pid: 42, heartTimeoutMs: 0, adapters: ['AdminAdapter'] }, { type: 'tick', now: 1_000_000 }]);
    expect(r.effects[1]).toEqual([
      { type: 'report', setting: 'Active', present: 'Activating', pid: 42 },
      { type: 'report', setting: 'Active', present: 'Active', pid: 42 },
    ]);
    expect(types(r.effects[2])).toEqual(['report']); // only the periodic re-report
    expect(r.state.present).toBe('Active');
  });

  describe('observing a foreground server', () => {
    const observe = { ...opts, observe: true };
    const runObserved = (events: SupervisorEvent[]) => {
      let state: SupervisorState = { ...initialState(), lastReportAt: 1 };
      const effects: SupervisorEffect[][] = [];
      for (const e of events) {
        const r = step(observe, state, e);
        state = r.state;
        effects.push(r.effects);
      }
      return { state, effects };
    };

    it('never launches; adopts the heartbeating process', () => {
      const r = runObserved([{ type: 'tick', now: 1 }, { type: 'tick', now: 5000 }, launched(5001, 77), { type: 'keepAlive', now: 5002, adapter: '', pid: 77 }]);
      expect(r.effects[0]).toEqual([]);
      expect(r.effects[1]).toEqual([]);
      expect(r.effects[3]).toEqual([{ type: 'report', setting: 'Active', present: 'Active', pid: 77 }]);
    });

    it('alarms on heartbeat overtime, once per timeout, without stopping', () => {
      const r = runObserved([launched(1, 77), { type: 'tick', now: 1002 }, { type: 'tick', now: 1500 }, { type: 'tick', now: 2003 }]);
      expect(r.effects[1]).toEqual([{ type: 'notify', message: '[alarm] heartbeat overtime (adapter A.S.ObjAdapter, pid 77)' }]);
      expect(r.effects[2]).toEqual([{ type: 'notify', message: '[alarm] heartbeat overtime (adapter AdminAdapter, pid 77)' }]);
      expect(types(r.effects[3])).toEqual(['notify']);
      expect(r.state).toMatchObject({ present: 'Activating', pid: 77 });
    });

    it('stops only itself, and ignores restart', () => {
      const r = runObserved([launched(1, 77), { type: 'restart', now: 2 }, { type: 'stop', now: 3 }]);
      expect(r.effects[1]).toEqual([]);
      expect(r.effects[2]).toEqual([{ type: 'report', setting: 'Inactive', present: 'Activating', pid: 77 }, { type: 'stopped' }]);
    });
  });
});
