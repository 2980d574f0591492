/** Docker registry secrets (`kubernetes.io/dockerconfigjson`) read from the API server. */
import { isNotFound, Resources, type KubeClient, type KubeObject } from '@tars-ts/cluster';
import { parseDockerConfig, type DockerConfig, type SecretReader } from './docker-config.ts';

interface Secret extends KubeObject {
  type?: string;
  data?: Record<string, string>;
}

export class KubeSecretReader implements SecretReader {
  readonly #client: KubeClient;
  readonly #namespace: string;

  constructor(client: KubeClient, namespace: string) {
    this.#client = client;
    this.#namespace = namespace;
  }

  async dockerConfig(name: string): Promise<DockerConfig> {
    let secret: Secret;
    try {
      secret = await this.#client.get<Secret>(Resources.Secret, this.#namespace, name);
    } catch (e) {
      if (isNotFound(e)) throw new Error(`secret ${name} not found in ${this.#namespace}`);
      throw e;
    }
    const data = secret.data?.['.dockerconfigjson'];
    if (!data) throw new Error(`secret ${name} has no .dockerconfigjson (type ${secret.type ?? 'Opaque'}); create it with kubectl create secret docker-registry`);
    return parseDockerConfig(Buffer.from(data, 'base64').toString('utf8'), `secret ${name}`);
  }
}
