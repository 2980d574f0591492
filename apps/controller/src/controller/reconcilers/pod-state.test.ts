// TEndpoint pod states (reference §5.2 buildPodStatus), table-driven.
import { describe, expect, it } from 'vitest';
import type { Pod, PodCondition } from '@tars-ts/cluster';
import { podState } from './pod-state.ts';

const pod = (conditions: PodCondition[], meta: Partial<Pod['metadata']> = {}): Pod => ({
  metadata: { name: 'a-b-0', uid: 'u1', creationTimestamp: '2026-01-01T00:00:00Z', labels: { 'tars.io/ServerID': 'v3' }, ...meta },
  spec: { containers: [] },
  status: { podIP: '10.0.0.1', hostIP: '192.168.0.1', conditions },
});
const c = (type: string, status: 'True' | 'False', reason?: string, message?: string): PodCondition => ({ type, status, ...(reason ? { reason } : {}), ...(message ? { message } : {}) });

describe('podState', () => {
  it('ready: Active/Active with the pid from tars.io/active', () => {
    expect(podState(pod([c('Ready', 'True', undefined, 'ok'), c('tars.io/active', 'True', 'Active/Active/77')]))).toMatchObject({
      settingState: 'Active', presentState: 'Active', pid: '77', presentMessage: 'ok', id: 'v3', podIP: '10.0.0.1', hostIP: '192.168.0.1', startTime: '2026-01-01T00:00:00Z',
    });
  });
  it('terminating wins over everything', () => {
    expect(podState(pod([c('Ready', 'True')], { deletionTimestamp: '2026-01-01T00:01:00Z' }))).toMatchObject({ presentState: 'Terminating', presentMessage: 'pod/a-b-0 is terminating' });
  });
  it('first non-True condition in PodScheduled, Initialized, ContainersReady order, then others', () => {
    expect(podState(pod([c('ContainersReady', 'False', 'ContainersNotReady'), c('PodScheduled', 'False', 'Unschedulable', 'no nodes')]))).toMatchObject({ presentState: 'Unschedulable', presentMessage: 'no nodes' });
    expect(podState(pod([c('Custom', 'False'), c('PodScheduled', 'True')]))).toMatchObject({ presentState: 'Custom' });
  });
  it('all True but not Ready: the last condition type', () => {
    expect(podState(pod([c('PodScheduled', 'True'), c('Initialized', 'True')]))).toMatchObject({ settingState: 'Active', presentState: 'Initialized' });
  });
  it('tars.io/active reason parts: 3 → setting/present/pid, 1 → setting only, >3 → Unknown', () => {
    expect(podState(pod([c('PodScheduled', 'True'), c('tars.io/active', 'False', 'Inactive/Activating/12')]))).toMatchObject({ settingState: 'Inactive', presentState: 'Activating', pid: '12' });
    expect(podState(pod([c('PodScheduled', 'False', 'Pending'), c('tars.io/active', 'False', 'Inactive')]))).toMatchObject({ settingState: 'Inactive', presentState: 'Pending' });
    expect(podState(pod([c('tars.io/active', 'False', 'a/b/c/d')]))).toMatchObject({ settingState: 'Unknown', presentState: 'Unknown' });
  });
});
