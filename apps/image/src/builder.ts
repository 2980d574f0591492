/**
 * The build step behind one interface, with two homes: `KanikoPodBuilder` starts the builder pod
 * on Kubernetes (as upstream), `BuildahBuilder` runs buildah on this machine (no Kubernetes).
 * Both build the same context: `Dockerfile` + `root/` + `docker/config.json`.
 */
export interface BuildJob {
  /** Task id (`v2026...-crc-rand`). */
  id: string;
  /** TImage name. */
  timage: string;
  /** The directory holding `Dockerfile`, `root/` and `docker/config.json`. */
  contextDir: string;
  /** Target image reference. */
  image: string;
  /** Hard deadline (TFrameworkConfig imageBuild.maxBuildTime). */
  timeoutMs: number;
  /** The builder pod's image and pull secret (TFrameworkConfig imageBuild.executor). */
  executor?: { image: string; secret?: string };
}

export interface BuildProgress {
  /** TImage build phase names as upstream: Building, Pushing; `log` for build output lines. */
  phase: 'Submitting' | 'Building' | 'Pushing' | 'log';
  message: string;
}

export interface ImageBuilder {
  readonly kind: 'kaniko' | 'buildah';
  /** Resolves when the image is pushed; rejects with the reason the build failed. */
  build(job: BuildJob, progress: (p: BuildProgress) => void): Promise<void>;
}
