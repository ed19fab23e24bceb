#!/usr/bin/env bash
# A throw-away single-manager swarm for trying swarmsim without touching the project's testbed:
# its own network namespace (only loopback), its own dockerd (data, exec root, socket, pidfile
# under $SIMDEV_DIR), no bridge, no iptables, no TCP port outside the namespace.
#   dev-manager.sh up      starts it; prints the socket path
#   dev-manager.sh down    stops it and removes everything it made
# The simulated nodes must run in the same namespace: nsenter --net=/var/run/netns/simdev-mgr swarmsim ...
set -euo pipefail
NS=${SIMDEV_NS:-simdev-mgr}
DIR=${SIMDEV_DIR:-/var/lib/computeops-swarmsim-dev}
RUN=${SIMDEV_RUN:-/run/simdev}           # short: containerd's socket paths must stay < 108 bytes
SOCK=$RUN/docker.sock
# A large default pool: every node, simulated or not, takes an address on ingress.
POOL=${SIMDEV_POOL:-10.240.0.0/16} MASK=${SIMDEV_POOL_MASK:-20}

[ "$(id -u)" = 0 ] || { echo "dev-manager.sh needs root" >&2; exit 1; }
d() { /usr/bin/docker -H "unix://$SOCK" "$@"; }

case "${1:-}" in
  up)
    [ -e "/var/run/netns/$NS" ] || { ip netns add "$NS"; ip -n "$NS" link set lo up; }
    mkdir -p "$DIR/data" "$RUN/exec"
    if ! d info >/dev/null 2>&1; then
      # nsenter, not "ip netns exec": that remounts /sys and hides the cgroup mounts dockerd needs.
      nohup nsenter --net="/var/run/netns/$NS" dockerd --data-root "$DIR/data" --exec-root "$RUN/exec" \
        -H "unix://$SOCK" --pidfile "$RUN/dockerd.pid" --bridge=none --iptables=false --ip6tables=false \
        --ip-masq=false >"$DIR/dockerd.log" 2>&1 &
      for _ in $(seq 1 120); do d info >/dev/null 2>&1 && break; sleep 0.5; done
      d info >/dev/null
    fi
    if [ "$(d info -f '{{.Swarm.LocalNodeState}}')" != active ]; then
      d swarm init --advertise-addr 127.0.0.1 --listen-addr 127.0.0.1:2377 \
        --default-addr-pool "$POOL" --default-addr-pool-mask-length "$MASK" >/dev/null
    fi
    echo "$SOCK"
    ;;
  down)
    if [ -f "$RUN/dockerd.pid" ]; then
      pid=$(cat "$RUN/dockerd.pid")
      if grep -qa dockerd "/proc/$pid/cmdline" 2>/dev/null && grep -qa "$DIR" "/proc/$pid/cmdline"; then
        kill "$pid"
        for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      fi
    fi
    ip netns del "$NS" 2>/dev/null || true
    rm -rf "$DIR" "$RUN"
    ;;
  *) echo "usage: dev-manager.sh up|down" >&2; exit 2 ;;
esac
