package org.computeops.orchestrators.spi;

/** What one task of a workload reserves on its node. GPUs are whole devices. */
public record Resources(long cpuMillis, long memoryMiB, int gpus) {

    public static final Resources NONE = new Resources(0, 0, 0);

    public Resources {
        if (cpuMillis < 0) throw new IllegalArgumentException("cpuMillis must be >= 0, was " + cpuMillis);
        if (memoryMiB < 0) throw new IllegalArgumentException("memoryMiB must be >= 0, was " + memoryMiB);
        if (gpus < 0) throw new IllegalArgumentException("gpus must be >= 0, was " + gpus);
    }

    public static Resources gpus(int gpus) {
        return new Resources(0, 0, gpus);
    }
}
