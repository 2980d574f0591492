import { describe, expect, it } from 'vitest';
import { FlagError, parseFlags } from './flags.ts';

describe('flags', () => {
  it('controller defaults follow upstream (lease tars-controller-manger, 15/10/2 s)', () => {
    expect(parseFlags(['controller'], {})).toMatchObject({ role: 'controller', leaderElect: true, leaseName: 'tars-controller-manger', leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000, namespace: 'tars-system', metricsPort: 8080 });
  });
  it('webhook defaults: CA in a Secret, the chart configurations, the conversion CRDs', () => {
    expect(parseFlags(['webhook'], { Namespace: 'ops' })).toMatchObject({
      role: 'webhook', port: 9443, namespace: 'ops', caSecret: 'tars-webhook-ca', mutatingConfigs: ['mutating.crd.tars.io'],
      validatingConfigs: ['validating.crd.tars.io-0', 'validating.k8s.tars.io-0'], conversionCrds: ['tservers.k8s.tars.io', 'tframeworkconfigs.k8s.tars.io'],
      controllerUsers: ['system:serviceaccount:tars-system:tars-controller'],
    });
    expect(parseFlags(['webhook', '--tls-san', '10.0.0.1', '--tls-san', 'x.example', '--ca-secret', ''], {})).toMatchObject({ tlsSans: ['10.0.0.1', 'x.example'], caSecret: '' });
  });
  it('refuses what it cannot honour, with the flag in the message', () => {
    expect(() => parseFlags([], {})).toThrow(FlagError);
    expect(() => parseFlags(['both'], {})).toThrow(/controller or webhook/);
    expect(() => parseFlags(['controller', '--workers', 'many'], {})).toThrow(/--workers: want an integer/);
    expect(() => parseFlags(['controller', '--renew-deadline', '20'], {})).toThrow(/--renew-deadline must be shorter/);
    expect(() => parseFlags(['webhook', '--ca-cert-file', '/x'], {})).toThrow(/go together/);
    expect(() => parseFlags(['controller', '--leader-elect', 'yes'], {})).toThrow(/want true or false/);
    expect(() => parseFlags(['controller', '--nope'], {})).toThrow();
  });
});
