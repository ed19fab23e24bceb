#!/usr/bin/env bash
# Builds the local Kubernetes testbed's binaries from the published Go modules, offline
# except for the Go module proxy:
#   kcluster (multi-call: etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubelet)
#   pause    (the sandbox image's only file) and mkimage (writes an OCI archive without Docker)
#   kwok     (go install sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION, with its stage files; its module
#            hash is checked against the one pinned below)
# into $TESTBED_CACHE_DIR/kubernetes/<version>/. A build is skipped when its inputs (go.mod,
# go.sum, sources, flags) hash to the stamp left by the previous one. GOCACHE and GOMODCACHE
# stay in their default, persistent places, so a rebuild after a change takes about a minute.
#
# Usage: infra/kubernetes/build.sh [--force]     Prints the bin directory on stdout.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/common.sh
source "$HERE/../lib/common.sh"
# shellcheck source=versions.sh
source "$HERE/versions.sh"

# KWOK's module hash (go.sum form, as sum.golang.org lists it for $KWOK_VERSION): another is
# refused. Kept here, not in versions.sh, whose content is part of kcluster's build stamp.
KWOK_MODULE_SUM="h1:+eGsNOIPapjsSzeZlOEcwbpyEVa2Vqlcafa0qIjaKV4="

FORCE=0
[ "${1:-}" = "--force" ] && FORCE=1

command -v go >/dev/null || die "Go is needed to build Kubernetes (Debian: apt-get install golang-go is too old; use Go >= 1.25)"
go_minor=$(go env GOVERSION | sed -n 's/^go1\.\([0-9]*\).*/\1/p')
[ "${go_minor:-0}" -ge 25 ] || die "Go $(go env GOVERSION) is too old: Kubernetes $K8S_VERSION needs Go >= 1.25"

OUT="$K8S_CACHE/bin"
mkdir -p "$OUT"
export GOFLAGS="${GOFLAGS:-} -buildvcs=false"
export GOTOOLCHAIN=local

stamp_of() { # files... -> sha256 over their content plus the build flags
  { cat "$@"; echo "$K8S_VERSION $KWOK_VERSION $BUILD_TAGS $(go env GOVERSION)"; } | sha256sum | cut -c1-16
}

# --- kcluster -----------------------------------------------------------------------------
build_kcluster() {
  local src="$HERE/cluster" stamp
  stamp=$(stamp_of "$src/go.mod" "$src/go.sum" "$src/main.go" "$HERE/versions.sh")
  if [ $FORCE = 0 ] && [ -x "$OUT/kcluster" ] && [ "$(cat "$OUT/.kcluster.stamp" 2>/dev/null)" = "$stamp" ]; then
    log "kcluster $K8S_VERSION is up to date ($OUT/kcluster)"
  else
    local build_date major minor t0
    # The release's own date, so that the binary does not change with the day it is built.
    build_date=$(cd "$src" && go list -m -f '{{.Time}}' k8s.io/kubernetes 2>/dev/null | cut -c1-19 | tr ' ' 'T')Z
    [ "$build_date" != "Z" ] || build_date=1970-01-01T00:00:00Z
    major=${K8S_VERSION#v}; major=${major%%.*}
    minor=${K8S_VERSION#v*.}; minor=${minor%%.*}
    local ldflags="-s -w"
    local pkg
    for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
      ldflags+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
      ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$build_date"
    done
    log "building kcluster $K8S_VERSION (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubelet, kube-proxy); cold: ~8-13 min on 2 cores, warm: seconds"
    t0=$(date +%s)
    (cd "$src" && CGO_ENABLED=0 go build -trimpath -tags "$BUILD_TAGS" -ldflags "$ldflags" -o "$OUT/kcluster.new" .) \
      || die "building kcluster failed (see the Go output above)"
    mv -f "$OUT/kcluster.new" "$OUT/kcluster"
    echo "$stamp" > "$OUT/.kcluster.stamp"
    log "built kcluster in $(( $(date +%s) - t0 ))s"
  fi
  local c
  for c in etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy; do
    ln -sfn kcluster "$OUT/$c"
  done
}

# --- pause --------------------------------------------------------------------------------
build_pause() {
  local src="$HERE/pause" stamp
  stamp=$(stamp_of "$src/go.mod" "$src/main.go" "$src/mkimage/main.go")
  if [ $FORCE = 1 ] || [ ! -x "$OUT/pause" ] || [ ! -x "$OUT/mkimage" ] || [ "$(cat "$OUT/.pause.stamp" 2>/dev/null)" != "$stamp" ]; then
    (cd "$src" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$OUT/pause" . \
      && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$OUT/mkimage" ./mkimage) || die "building pause/mkimage failed"
    echo "$stamp" > "$OUT/.pause.stamp"
  fi
}

# --- kwok ---------------------------------------------------------------------------------
build_kwok() {
  if [ $FORCE = 0 ] && [ -x "$OUT/kwok" ] && [ "$(cat "$OUT/.kwok.stamp" 2>/dev/null)" = "$KWOK_VERSION" ] \
     && [ -d "$K8S_CACHE/kwok-stages" ]; then
    log "kwok $KWOK_VERSION is up to date"
    return 0
  fi
  local t0; t0=$(date +%s)
  log "installing kwok $KWOK_VERSION (go install)"
  # Its own module graph: go install pkg@version ignores our go.mod.
  GOBIN="$OUT" CGO_ENABLED=0 go install -trimpath -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION" \
    || die "go install sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION failed"
  # Stage files (pod/node lifecycles) ship in the root module; keep a copy next to the binary.
  local moddir info sum
  info=$(cd "$(mktemp -d)" && go mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION")
  moddir=$(sed -n 's/.*"Dir": "\(.*\)".*/\1/p' <<<"$info")
  sum=$(sed -n 's/.*"Sum": "\(.*\)".*/\1/p' <<<"$info")
  if [ "$sum" != "$KWOK_MODULE_SUM" ]; then
    rm -f "$OUT/kwok"
    die "sigs.k8s.io/kwok@$KWOK_VERSION has hash '$sum', pinned $KWOK_MODULE_SUM (build.sh): refusing it"
  fi
  [ -d "$moddir/kustomize/stage" ] || die "kwok $KWOK_VERSION module has no kustomize/stage folder ($moddir)"
  rm -rf "$K8S_CACHE/kwok-stages"
  cp -r "$moddir/kustomize/stage" "$K8S_CACHE/kwok-stages"
  chmod -R u+w "$K8S_CACHE/kwok-stages"
  echo "$KWOK_VERSION" > "$OUT/.kwok.stamp"
  log "installed kwok in $(( $(date +%s) - t0 ))s"
}

build_pause
build_kwok
build_kcluster
echo "$OUT"
