#!/usr/bin/env bash
# Installs the container runtimes compared by the `runtimes` module, idempotently:
#   Debian: crun podman lxc charliecloud skopeo umoci squashfs-tools squashfuse proot uidmap
#           (docker.io/containerd/runc come with the host engine, infra/lib/common.sh)
#   PyPI:   udocker in a venv under $TESTBED_CACHE_DIR/runtimes/udocker-venv (its own engine download is
#           disabled at run time with UDOCKER_TARBALL= ; it is pointed at the Debian proot/runc/crun)
#   a non-root account ($RUNTIMES_USER, default ctbench) with subordinate ids, for rootless runs
#   (udocker refuses root; Charliecloud and rootless runc/crun are measured from it too).
#   small config files under $TESTBED_STATE_DIR/runtimes: the crun wrapper (hybrid cgroups) and a
#   containers.conf with default_ulimits (root here cannot raise hard rlimits; podman fails without it).
# Not installable on Debian 12 (rows with the reason, never a figure): Singularity/Apptainer, Shifter, rkt,
# Sarus, enroot.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
require_root "installing container runtimes"

RUNTIMES_USER=${RUNTIMES_USER:-ctbench}
UDOCKER_VERSION=${UDOCKER_VERSION:-1.3.17}
STATE="$TESTBED_STATE_DIR/runtimes"
CACHE="$TESTBED_CACHE_DIR/runtimes"
mkdir -p "$STATE" "$CACHE"
chmod a+rx "$TESTBED_STATE_DIR" "$STATE"

pkgs=(crun podman lxc charliecloud skopeo umoci squashfs-tools squashfuse proot uidmap busybox-static python3-venv)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -1)" ]; then
    apt-get update -qq >&2 || die "apt-get update failed"
  fi
  # --no-install-recommends: lxc's recommends pull apparmor, qemu-utils, debootstrap
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends \
    "${missing[@]}" >&2 || die "apt-get install ${missing[*]} failed"
fi

# The non-root account for rootless runs, with subordinate ids for newuidmap (podman, lxc unprivileged).
if ! id "$RUNTIMES_USER" >/dev/null 2>&1; then
  log "creating account $RUNTIMES_USER"
  useradd --system --create-home --home-dir "/var/lib/$RUNTIMES_USER" --shell /bin/sh "$RUNTIMES_USER"
fi
grep -q "^$RUNTIMES_USER:" /etc/subuid || echo "$RUNTIMES_USER:200000:65536" >> /etc/subuid
grep -q "^$RUNTIMES_USER:" /etc/subgid || echo "$RUNTIMES_USER:200000:65536" >> /etc/subgid

# udocker from PyPI in its own venv. udocker refuses root, so the venv must be reachable by the non-root
# account: root's default cache (/root/.cache) is not (/root is 0700), then the venv goes under the state dir.
VENV="$CACHE/udocker-venv"
if ! runuser -u "$RUNTIMES_USER" -- test -r "$CACHE"; then VENV="$STATE/udocker-venv"; fi
# Debian's python3, not one from PATH: a pyenv interpreter under /root is not reachable by that account.
if [ "$(readlink -f "$VENV/bin/python3")" != "$(readlink -f /usr/bin/python3)" ] \
   || [ "$("$VENV/bin/python3" -c 'import importlib.metadata as m; print(m.version("udocker"))' 2>/dev/null)" != "$UDOCKER_VERSION" ]; then
  # (the installed version is read from the package metadata: `udocker --version` refuses to run as root)
  log "installing udocker $UDOCKER_VERSION into $VENV"
  /usr/bin/python3 -m venv --clear "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "udocker==$UDOCKER_VERSION" >&2
fi
chmod -R a+rX "$VENV"

# crun 1.8.1 refuses hybrid cgroups (v1 + cgroup2 at /sys/fs/cgroup/unified): hide the cgroup2 mount in a
# private mount namespace. Costs ~5 ms a call; the measurement reports it as part of crun's figure.
cat > "$STATE/crun-wrapper" <<'W'
#!/bin/sh
if [ "$(id -u)" = 0 ]; then
  exec unshare -m --propagation private sh -c 'umount /sys/fs/cgroup/unified 2>/dev/null; exec /usr/bin/crun "$@"' crun "$@"
else
  exec unshare --user --map-current-user --keep-caps --mount --propagation private sh -c 'mount -t tmpfs none /sys/fs/cgroup/unified 2>/dev/null; exec /usr/bin/crun "$@"' crun "$@"
fi
W
chmod 755 "$STATE/crun-wrapper"
chmod a+rx "$STATE" "$TESTBED_STATE_DIR"

# Charliecloud mounts SquashFS images with squashfuse as the calling user: /dev/fuse must be usable by
# non-root accounts (0666 is the udev default on Debian; this host's device node is 0600).
if [ -c /dev/fuse ] && [ "$(stat -c %a /dev/fuse)" != 666 ]; then chmod 666 /dev/fuse; fi

cat > "$STATE/containers.conf" <<'C'
# root here lacks CAP_SYS_RESOURCE: podman's default ulimits (raised hard limits) fail without this
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
C
chmod 644 "$STATE/containers.conf"

{
  echo "user=$RUNTIMES_USER"
  echo "uid=$(id -u "$RUNTIMES_USER")"
  echo "udocker=$VENV/bin/udocker"
  echo "crunWrapper=$STATE/crun-wrapper"
  echo "containersConf=$STATE/containers.conf"
} > "$STATE/install.properties"
log "runtimes installed; settings in $STATE/install.properties"
echo "$STATE/install.properties"
