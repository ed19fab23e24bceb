#!/usr/bin/env bash
# Builds the workload images without a registry: a busybox-static root imported with `docker import`.
#   computeops/batch:1.0    busybox; the scenario gives the command (a short CPU or sleep task that exits 0)
#   computeops/service:1.0  busybox httpd answering on port 8080
# Also saves each as a docker-archive tar under $TESTBED_CACHE_DIR/images/ for other engines
# (swarm nodes, containerd). Skips what is already built from the same inputs.
# Where a registry exists, push the tags there (IMAGE_PUSH=1) and point the scenarios at them.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/common.sh
source "$HERE/../lib/common.sh"

apt_ensure busybox-static
ensure_host_dockerd

IMAGE_TAG=${IMAGE_TAG:-1.0}
OUT="$TESTBED_CACHE_DIR/images"
mkdir -p "$OUT"
inputs_hash=$(cat /bin/busybox "$HERE/build.sh" | sha256sum | cut -c1-16)

build_image() {  # name, cmd-json, expose-port (or empty), extra setup function
  local name=$1 cmd=$2 port=$3 setup=$4 ref="computeops/$1:$IMAGE_TAG"
  local have
  have=$(docker_at "$HOST_DOCKER_SOCK" image inspect -f '{{index .Config.Labels "computeops.io/inputs"}}' "$ref" 2>/dev/null || true)
  if [ "$have" = "$inputs_hash" ] && [ -s "$OUT/$name.tar" ] && [ -s "$OUT/$name.tar.id" ]; then
    log "image $ref is up to date"
    return 0
  fi
  local root; root=$(mktemp -d)
  mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/www"
  cp /bin/busybox "$root/bin/busybox"
  for applet in $(/bin/busybox --list); do [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"; done
  echo 'root:x:0:0:root:/:/bin/sh' > "$root/etc/passwd"
  "$setup" "$root"
  local changes=(--change "CMD $cmd" --change "ENV PATH=/bin" --change "LABEL computeops.io/inputs=$inputs_hash")
  [ -n "$port" ] && changes+=(--change "EXPOSE $port")
  tar -C "$root" -c . | docker_at "$HOST_DOCKER_SOCK" import "${changes[@]}" - "$ref" >/dev/null
  rm -rf "$root"
  docker_at "$HOST_DOCKER_SOCK" save -o "$OUT/$name.tar" "$ref"
  docker_at "$HOST_DOCKER_SOCK" image inspect -f '{{.Id}}' "$ref" > "$OUT/$name.tar.id"
  log "built $ref ($(du -h "$OUT/$name.tar" | cut -f1))"
  if [ "${IMAGE_PUSH:-0}" = 1 ]; then docker_at "$HOST_DOCKER_SOCK" push "$ref"; fi
}

no_setup() { :; }
service_setup() { printf 'computeops service workload\n' > "$1/www/index.html"; }

build_image batch '["sh","-c","echo computeops batch task; sleep 1"]' "" no_setup
build_image service '["httpd","-f","-v","-p","8080","-h","/www"]' 8080 service_setup
echo "$OUT"
