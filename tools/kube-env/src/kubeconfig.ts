// A kubeconfig for one env. JSON is valid YAML, so kubectl, helm and client-node all read it.
export interface KubeconfigInput {
  server: string;
  caPem: string;
  token: string;
  name?: string;
}

export function renderKubeconfig({ server, caPem, token, name = 'tars-kube-env' }: KubeconfigInput): string {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      // The CA is inlined so the file stays usable from any working directory.
      { name, cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } },
    ],
    users: [{ name: 'admin', user: { token } }],
    contexts: [{ name, context: { cluster: name, user: 'admin', namespace: 'default' } }],
    'current-context': name,
    preferences: {},
  };
  return JSON.stringify(config, null, 2) + '\n';
}
