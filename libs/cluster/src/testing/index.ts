// @tars-ts/cluster/testing: the ClusterState contract suite, fixtures, and the helpers that reach
// the shared test kube-apiserver (built on '@tars-ts/kube-env/testing').
export { clusterStateContract, eventually, podFixture, tconfigFixture, tserverFixture, uniqueName, type ContractHarness } from './contract.ts';
export { createTestNamespace, deleteTestNamespace, describeKube, ensureTarsCrds, testKubeClient, testKubeconfigPath } from './kube-test-env.ts';
