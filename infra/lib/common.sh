# Shared shell helpers for infra/ scripts. Source it; it does nothing by itself.
# shellcheck shell=bash

# Runtime state (pids, sockets, certs, logs) lives outside the clone so that a fresh clone
# still finds and cleans what an earlier run or a crashed run left behind.
if [ "$(id -u)" = 0 ]; then
  : "${TESTBED_STATE_DIR:=/var/lib/computeops-testbed}"
else
  : "${TESTBED_STATE_DIR:=${XDG_STATE_HOME:-$HOME/.local/state}/computeops-testbed}"
fi
# Build caches (Go builds, built images) survive clones too, so a warm machine is fast.
: "${TESTBED_CACHE_DIR:=${XDG_CACHE_HOME:-$HOME/.cache}/computeops}"
export TESTBED_STATE_DIR TESTBED_CACHE_DIR
mkdir -p "$TESTBED_STATE_DIR" "$TESTBED_CACHE_DIR"

# Go from go.dev's tarball lives outside the default PATH of non-login shells (CI's among them).
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then PATH="/usr/local/go/bin:$PATH"; fi
export PATH

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_DIR="$(cd "$INFRA_DIR/.." && pwd)"
export INFRA_DIR REPO_DIR

log()  { printf '[testbed %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die()  { printf '[testbed] ERROR: %s\n' "$*" >&2; exit 1; }

# The local testbeds start engines, namespaces and bridges: that needs root.
require_root() {
  [ "$(id -u)" = 0 ] && return 0
  die "$1 needs root (it starts engines and network namespaces). Run as root, or point the scenarios at an existing testbed: see README.md, 'Real testbeds'."
}

# Installs Debian packages that are missing; does nothing (and needs no network) when all are there.
apt_ensure() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  require_root "installing ${missing[*]}"
  log "installing Debian packages: ${missing[*]}"
  if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -1)" ]; then
    apt-get update -qq >&2 || die "apt-get update failed"
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 \
    || die "apt-get install ${missing[*]} failed"
}

# Waits until a command succeeds, up to $1 seconds.
wait_for() {
  local timeout=$1 what=$2; shift 2
  local deadline=$(( $(date +%s) + timeout ))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -ge "$deadline" ] && die "timed out after ${timeout}s waiting for $what"
    sleep 0.5
  done
}

# True when the pid in the file is a live process.
pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Stops the process whose pid is in the file, waiting for it to exit; removes the file.
stop_pidfile() {
  local f=$1 pid i
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null
    for i in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

# The Debian engine's own client matches its API; /usr/local/bin may hold a newer one.
DOCKER_CLI=$(command -v /usr/bin/docker || command -v docker || true)
docker_at() { local sock=$1; shift; "$DOCKER_CLI" -H "unix://$sock" "$@"; }

# The host's Docker engine, used to build and export workload images. Started here when not running.
HOST_DOCKER_SOCK=/var/run/docker.sock
ensure_host_dockerd() {
  if [ -S "$HOST_DOCKER_SOCK" ] && docker_at "$HOST_DOCKER_SOCK" info >/dev/null 2>&1; then return 0; fi
  require_root "starting the Docker engine"
  apt_ensure docker.io iptables
  DOCKER_CLI=/usr/bin/docker
  log "starting the host Docker engine (log: $TESTBED_STATE_DIR/dockerd-host.log)"
  nohup dockerd --pidfile /var/run/docker.pid >"$TESTBED_STATE_DIR/dockerd-host.log" 2>&1 &
  wait_for 60 "the host Docker engine" docker_at "$HOST_DOCKER_SOCK" info
}
