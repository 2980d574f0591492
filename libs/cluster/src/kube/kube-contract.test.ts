// The ClusterState contract on the real API server (tools/kube-env), in a namespace of its own.
import { clusterStateContract } from '../testing/contract.ts';
import { createTestNamespace, deleteTestNamespace, describeKube, ensureTarsCrds, testKubeClient } from '../testing/kube-test-env.ts';
import type { Pod } from '../types.ts';
import { KubernetesClusterState } from './cluster-state.ts';
import { Resources } from './resources.ts';

describeKube('ClusterState contract: Kubernetes', () => {
  clusterStateContract(async () => {
    const client = await testKubeClient();
    await ensureTarsCrds(client);
    const namespace = await createTestNamespace(client, 'cluster-contract');
    const cluster = new KubernetesClusterState({ kubeConfig: client.kubeConfig, namespace, component: 'tars-ts-test', instance: 'contract' });
    return {
      cluster,
      // No kubelet here: create the pod, then write the status a kubelet would.
      putPod: async (pod: Pod) => {
        const { status, ...rest } = pod;
        const created = await client.create<Pod>(Resources.Pod, namespace, rest);
        return status ? client.replaceStatus<Pod>(Resources.Pod, namespace, { ...created, status }) : created;
      },
      cleanup: () => deleteTestNamespace(client, namespace),
    };
  });
});
