// tarsimage process: `node src/main.ts --config=tarsimage.conf`. Serves the upload API and builds
// server images: with a builder pod (Kubernetes) or buildah (elsewhere). See README.md.
import { KubernetesClusterState } from '@tars-ts/cluster';
import { ServiceHost } from '@tars-ts/service';
import { BuildahBuilder } from './buildah-builder.ts';
import { BuildEngine } from './build-engine.ts';
import type { ImageBuilder } from './builder.ts';
import { createImageServer } from './http-server.ts';
import { KanikoPodBuilder } from './kaniko-pod-builder.ts';
import { KubeSecretReader } from './secrets.ts';
import { imageSettings } from './settings.ts';

const host = await ServiceHost.start({ app: 'tars', server: 'tarsimage', version: '0.1.0' });
try {
  const settings = imageSettings(host.config);
  const cluster = new KubernetesClusterState({ component: 'tarsimage' });
  host.onStop('close cluster', () => cluster.close());
  const builder: ImageBuilder =
    settings.builder === 'kaniko'
      ? new KanikoPodBuilder({ client: cluster.client, namespace: cluster.namespace, podName: settings.podName, workspaceInPod: settings.workspaceInPod, workspaceInHost: settings.workspaceInHost })
      : new BuildahBuilder(settings.buildah);
  const engine = new BuildEngine({ cluster, secrets: new KubeSecretReader(cluster.client, cluster.namespace), builder, podName: settings.podName, buildDir: settings.buildDir, logger: host.logger });
  const server = createImageServer({ engine, auth: settings.auth, podName: settings.podName, uploadDir: settings.uploadDir, maxUploadBytes: settings.maxUploadBytes, logger: host.logger });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => resolve());
  });
  // Stop taking uploads first; running builds finish or are marked by the controller's overtime check.
  host.onStop('close http server', () => new Promise<void>((r) => server.close(() => r())));
  host.metrics.gauge('tars_image_builds_running', 'build tasks running on this pod', [], function () {
    this.set(engine.running);
  });
  host.logger.info(`tarsimage listening on ${settings.host}:${settings.port}, builder ${builder.kind}, auth ${settings.auth.kind}`);
  await host.listen();
} catch (e) {
  host.logger.error(`tarsimage failed to start: ${(e as Error).message}`);
  await host.stop('start failed');
}
