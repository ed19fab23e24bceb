package org.computeops.runtimes.spi;

/** What a runtime needs or offers, as shown in the comparison table. */
public enum Capability {
    /** Runs containers from a non-root account on the host (as measured here, not only in principle). */
    ROOTLESS,
    /** Needs root on the host in the configuration used here. */
    NEEDS_ROOT,
    /** A long-running daemon must be up (dockerd + containerd). */
    NEEDS_DAEMON,
    /** A per-container monitor process stays beside the container (containerd-shim, conmon, lxc monitor). */
    MONITOR_PER_CONTAINER,
    /** Relies on a setuid helper (newuidmap/newgidmap, fusermount) for its rootless mode. */
    SETUID_HELPER,
    /** Uses only unprivileged user namespaces (Charliecloud). */
    USER_NAMESPACE_ONLY,
    /** Intercepts system calls with ptrace instead of using namespaces (proot). */
    PTRACE,
    /** Runs an image directly from a SquashFS file (squashfuse). */
    SQUASHFS_IMAGE,
    /** Applies cgroup limits to the container. */
    CGROUPS
}
