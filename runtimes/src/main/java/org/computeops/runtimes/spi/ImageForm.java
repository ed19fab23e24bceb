package org.computeops.runtimes.spi;

/** The form of the batch image a runtime runs; see infra/runtimes/prepare-image.sh. */
public enum ImageForm {
    /** The image in the host Docker engine (overlay2 layers), as built. */
    DOCKER_ENGINE_IMAGE(true),
    /** The `docker save` archive, loaded by the runtime into its own store without conversion. */
    DOCKER_ARCHIVE(true),
    /** OCI runtime bundle from skopeo (docker-archive → OCI layout) and umoci unpack. */
    OCI_BUNDLE(false),
    /** The unpacked root file system (umoci), used as a directory. */
    ROOTFS_DIR(false),
    /** The rootfs plus the mount points Charliecloud binds onto (/dev, /proc, /etc/group ...). */
    CHARLIECLOUD_DIR(false),
    /** SquashFS packed from the Charliecloud directory (mksquashfs). */
    SQUASHFS(false),
    /** The host's own file system (the bare-host baseline). */
    HOST(false);

    private final boolean dockerImageUnchanged;

    ImageForm(boolean dockerImageUnchanged) { this.dockerImageUnchanged = dockerImageUnchanged; }

    /** True when the runtime takes the Docker image as Docker exports it, without a conversion step. */
    public boolean dockerImageUnchanged() { return dockerImageUnchanged; }
}
