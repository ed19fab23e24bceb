# Pinned versions of the local Kubernetes testbed. Sourced by build.sh, up.sh and down.sh.
# shellcheck shell=bash
# Kubernetes: must match `require k8s.io/kubernetes` in cluster/go.mod (staging modules v0.X.Y).
K8S_VERSION=v1.35.4
# KWOK: v0.7.0 is the last release that falls back to built-in stages; we pass the stage
# files explicitly anyway, so a newer tag only needs this line changed.
KWOK_VERSION=v0.7.0
BUILD_TAGS="providerless,notest,grpcnotrace"
K8S_CACHE="$TESTBED_CACHE_DIR/kubernetes/$K8S_VERSION"
K8S_STATE="$TESTBED_STATE_DIR/kubernetes"
