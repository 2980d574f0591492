// The controller role as main.ts starts it: only the holder of the Lease reconciles; when it
// stops, a standby takes over.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ServiceLogger } from '@tars-ts/service';
import { Resources, tarsResource, type KubeClient, type KubeObject } from '@tars-ts/cluster';
import { createTestNamespace, deleteTestNamespace, describeKube, ensureTarsCrds, testKubeClient, testKubeconfigPath } from '@tars-ts/cluster/testing';
import { parseFlags, type ControllerFlags } from './flags.ts';
import { runController, type Running } from './roles.ts';
import { getOrUndefined, tserver, waitFor } from './testing/env.ts';

describeKube('controller role with leader election', () => {
  let admin: KubeClient;
  let ns: string;
  const running: Running[] = [];
  beforeAll(async () => {
    admin = await testKubeClient();
    await ensureTarsCrds(admin);
    ns = await createTestNamespace(admin, 'lead');
  });
  afterAll(async () => {
    for (const r of running) await r.stop().catch(() => undefined);
    if (admin && ns) await deleteTestNamespace(admin, ns);
  });

  it('one leader reconciles; a standby takes over when it stops', async () => {
    const flags = parseFlags(
      ['controller', '--kubeconfig', await testKubeconfigPath(), '--namespace', ns, '--watch-namespace', ns, '--metrics-port', '0', '--manage-node-labels', 'false', '--lease-duration', '3', '--renew-deadline', '2', '--retry-period', '1'],
      {},
    ) as ControllerFlags;
    const logger = new ServiceLogger({ level: 'ERROR', console: false });
    const first = await runController(flags, logger);
    running.push(first);
    const lease = await admin.get<KubeObject & { spec: { holderIdentity: string } }>(Resources.Lease, ns, 'tars-controller-manger');
    expect(lease.spec.holderIdentity).toMatch(/_[0-9a-f-]{36}$/); // <hostname>_<uuid>, as upstream
    let secondStarted = false;
    const second = runController({ ...flags }, logger).then((r) => {
      secondStarted = true;
      running.push(r);
      return r;
    });
    await new Promise((r) => setTimeout(r, 2_500));
    expect(secondStarted).toBe(false);
    await admin.create(tarsResource('TServer'), ns, tserver(ns, 'Lead', 'One'));
    await waitFor('reconciled by the leader', () => getOrUndefined(admin.get(Resources.StatefulSet, ns, 'lead-one')));
    await first.stop();
    await second;
    expect(secondStarted).toBe(true);
    await admin.create(tarsResource('TServer'), ns, tserver(ns, 'Lead', 'Two'));
    await waitFor('reconciled by the new leader', () => getOrUndefined(admin.get(Resources.StatefulSet, ns, 'lead-two')));
  });
});
