#!/usr/bin/env bash
# Installs the Debian packages that build, push and inspect the container images (see
# tools/images/README.md). Idempotent: when every tool is present and apt has package lists (the
# base image is assembled from .deb files apt resolves) it runs no apt at all.
set -euo pipefail

# command -> Debian package. buildah builds, skopeo/umoci inspect and unpack, docker-registry is
# the local registry the tests push to, runc is buildah's OCI runtime, binutils gives `strip`
# for the Node binary, apt-get download + dpkg-deb assemble the base from Debian packages.
declare -A tools=(
  [buildah]=buildah
  [skopeo]=skopeo
  [umoci]=umoci
  [docker-registry]=docker-registry
  [runc]=runc
  [strip]=binutils
)

missing=()
for cmd in "${!tools[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${tools[$cmd]}")
done
have_lists() { [ -n "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' 2>/dev/null | head -1)" ]; }

if [ ${#missing[@]} -eq 0 ] && have_lists; then
  echo "images/setup: buildah, skopeo, umoci, docker-registry, runc, strip and apt lists present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "images/setup: need root to install ${missing[*]:-nothing} / run apt-get update" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# Refresh lists when absent or older than a day: apt-get download needs current file names.
if ! have_lists || [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -mmin -1440 | head -1)" ]; then
  echo "images/setup: apt-get update"
  apt-get update -qq
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "images/setup: installing ${missing[*]}"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "images/setup: done"
