// The ClusterState contract on the embedded store (a fresh temp data dir).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { clusterStateContract } from '../testing/contract.ts';
import { EmbeddedClusterState } from './cluster-state.ts';

describe('ClusterState contract: embedded', () => {
  clusterStateContract(async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cluster-contract-'));
    const cluster = await EmbeddedClusterState.open({ dataDir, namespace: 'tars-test' });
    return {
      cluster,
      putPod: (pod) => cluster.putPod(pod),
      cleanup: () => rm(dataDir, { recursive: true, force: true }),
    };
  });
});
