#!/usr/bin/env bash
# Installs the Debian packages the tests need and prepares the real test cluster (cached outside
# the repo). Idempotent: a second run on the same machine does next to nothing.
# Each part is a function below; add yours as a new step at the end of main().
set -euo pipefail
cd "$(dirname "$0")/../.."

SETUP_START=$SECONDS
timed() {
  local name="$1" t0=$SECONDS
  shift
  echo "== setup: $name"
  "$@"
  echo "== setup: $name done in $((SECONDS - t0))s"
}

# The real Kubernetes API server (kube-apiserver + kube-controller-manager v1.20.2, etcd, helm):
# built from Debian's source package on the first run (~3-4 min), then seconds.
kube_env() {
  bash tools/kube-env/build.sh
}

# Container tooling for the image tests: buildah, skopeo, umoci, docker-registry (~9 s first time).
images() {
  bash tools/images/setup.sh
}

main() {
  timed "kube-env (real kube-apiserver, etcd, helm)" kube_env
  timed "images (buildah, skopeo, umoci, docker-registry)" images
  echo "== setup: all done in $((SECONDS - SETUP_START))s"
}

main "$@"
