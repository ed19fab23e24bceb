#!/usr/bin/env bash
# Turns the batch image (infra/images/build.sh) into every form the runtimes take, once, and records each
# step's time and output size in $STATE/prepare.properties (read by org.computeops.runtimes.ImageForms):
#   docker image  computeops/batch-runtimes:1.0 = computeops/batch:1.0 + /data/blob (a fixed pseudo-random
#                 file of $IO_BLOB_MB MiB, seed 15, for the file-I/O and compute probes; busybox-static
#                 already holds sha256sum, uname, id, readlink, adjtimex, which the probes need)
#   docker-archive  docker save of that image            (Docker, Podman, udocker load it unchanged)
#   oci layout      skopeo copy docker-archive: -> oci:
#   bundle/rootfs   umoci unpack of the OCI layout        (runc, crun, LXC, Charliecloud directory)
#   SquashFS        mksquashfs of the rootfs, zstd and gzip (Charliecloud SquashFS)
# Does not stop or reconfigure the host Docker engine (it is shared); only adds one image tag to it.
# Re-running with the same image id and blob size does nothing.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
require_root "preparing images (docker, umoci unpack keeps ownership)"

IO_BLOB_MB=${IO_BLOB_MB:-16}
BASE=computeops/batch:${IMAGE_TAG:-1.0}
REF=computeops/batch-runtimes:${IMAGE_TAG:-1.0}
STATE="$TESTBED_STATE_DIR/runtimes"
OUT="$STATE/image"
PROPS="$STATE/prepare.properties"
mkdir -p "$OUT"
chmod a+rx "$TESTBED_STATE_DIR" "$STATE" "$OUT"

ensure_host_dockerd
for t in skopeo umoci mksquashfs python3; do command -v "$t" >/dev/null || die "$t missing: run infra/runtimes/install.sh"; done
if ! docker_at "$HOST_DOCKER_SOCK" image inspect "$BASE" >/dev/null 2>&1; then
  log "$BASE missing: building it with infra/images/build.sh"
  "$INFRA_DIR/images/build.sh" >/dev/null
fi
base_id=$(docker_at "$HOST_DOCKER_SOCK" image inspect -f '{{.Id}}' "$BASE")
inputs="$base_id blob=${IO_BLOB_MB}MiB script=$(sha256sum "$0" | cut -c1-16)"
if [ -f "$PROPS" ] && grep -qxF "inputs=$inputs" "$PROPS"; then
  log "image forms up to date: $PROPS"; echo "$PROPS"; exit 0
fi

now() { date +%s%N; }
declare -A secs bytes
step() {  # name, output path, command...
  local name=$1 out=$2 t0 t1; shift 2
  t0=$(now); "$@" >&2; t1=$(now)
  secs[$name]=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", (b-a)/1e9}')
  bytes[$name]=$(du -sb "$out" | cut -f1)
  log "$name: ${secs[$name]} s, ${bytes[$name]} bytes"
}

ctx=$(mktemp -d); trap 'rm -rf "$ctx"' EXIT
python3 -c "import random,sys; sys.stdout.buffer.write(random.Random(15).randbytes($IO_BLOB_MB*1048576))" > "$ctx/blob"
blob_sha=$(sha256sum "$ctx/blob" | cut -d' ' -f1)
printf 'FROM %s\nCOPY blob /data/blob\n' "$BASE" > "$ctx/Dockerfile"
# The classic builder: offline, and BuildKit is not part of the Debian 20.10 engine.
step build "$ctx/blob" env DOCKER_BUILDKIT=0 "$DOCKER_CLI" -H "unix://$HOST_DOCKER_SOCK" build -q -t "$REF" "$ctx"
image_id=$(docker_at "$HOST_DOCKER_SOCK" image inspect -f '{{.Id}}' "$REF")

rm -rf "${OUT:?}"/*
step save "$OUT/image.docker.tar" docker_at "$HOST_DOCKER_SOCK" save -o "$OUT/image.docker.tar" "$REF"
step oci "$OUT/oci" skopeo copy -q "docker-archive:$OUT/image.docker.tar" "oci:$OUT/oci:1.0"
step unpack "$OUT/bundle" umoci unpack --image "$OUT/oci:1.0" "$OUT/bundle"
# build.sh's root directory is 0700 (mktemp -d): the non-root account (Charliecloud) must enter it.
chmod 755 "$OUT/bundle" "$OUT/bundle/rootfs"
# Charliecloud binds onto mount points that must exist in the image (Docker creates them at run time):
# /dev /proc /sys /tmp /home /mnt, /etc/hosts /etc/resolv.conf /etc/group (the batch image has only
# /etc/passwd). ch-convert adds most of them but not /etc/group, so the Charliecloud form is a copy
# of the rootfs with these added; the SquashFS images are packed from it.
chfix() {
  cp -a "$OUT/bundle/rootfs" "$OUT/ch-rootfs"
  mkdir -p "$OUT/ch-rootfs"/{dev,proc,sys,tmp,home,mnt,etc}
  for f in hosts resolv.conf group; do [ -e "$OUT/ch-rootfs/etc/$f" ] || : > "$OUT/ch-rootfs/etc/$f"; done
  grep -q '^root:' "$OUT/ch-rootfs/etc/group" || echo 'root:x:0:' >> "$OUT/ch-rootfs/etc/group"
}
step ch_dir "$OUT/ch-rootfs" chfix
step squashfs_zstd "$OUT/image.zstd.sqfs" mksquashfs "$OUT/ch-rootfs" "$OUT/image.zstd.sqfs" -comp zstd -noappend -quiet -no-progress
step squashfs_gzip "$OUT/image.gzip.sqfs" mksquashfs "$OUT/ch-rootfs" "$OUT/image.gzip.sqfs" -comp gzip -noappend -quiet -no-progress
chmod a+r "$OUT"/*.tar "$OUT"/*.sqfs

{
  echo "# written by infra/runtimes/prepare-image.sh $(date -u +%FT%TZ)"
  echo "inputs=$inputs"
  echo "imageRef=$REF"
  echo "imageId=$image_id"
  echo "dockerArchive=$OUT/image.docker.tar"
  echo "ociLayout=$OUT/oci"
  echo "ociTag=1.0"
  echo "bundle=$OUT/bundle"
  echo "rootfs=$OUT/bundle/rootfs"
  echo "chRootfs=$OUT/ch-rootfs"
  echo "squashfsZstd=$OUT/image.zstd.sqfs"
  echo "squashfsGzip=$OUT/image.gzip.sqfs"
  echo "blobPath=/data/blob"
  echo "blobBytes=$((IO_BLOB_MB*1048576))"
  echo "blobSha256=$blob_sha"
  for s in build save oci unpack ch_dir squashfs_zstd squashfs_gzip; do
    echo "step.$s.seconds=${secs[$s]}"
    echo "step.$s.bytes=${bytes[$s]}"
  done
} > "$PROPS.tmp"
mv "$PROPS.tmp" "$PROPS"; chmod a+r "$PROPS"
echo "$PROPS"
