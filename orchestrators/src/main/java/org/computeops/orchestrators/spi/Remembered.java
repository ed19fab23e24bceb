package org.computeops.orchestrators.spi;

import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A value read from the control plane and reused for a short time, so that per-submit checks at
 * hundreds of submissions/s do not each list a thousand nodes. Read again once older than the time
 * set (0: every call); the time is taken before the read, so a value is never reused longer than
 * that. Concurrent callers share one read per period.
 */
public final class Remembered<T> {

    private final Supplier<T> read;
    private final long ttlNanos;
    private final LongSupplier nanoClock;
    private T value; // guarded by this
    private long readAt;

    public Remembered(Supplier<T> read, long ttlMillis, LongSupplier nanoClock) {
        if (ttlMillis < 0) throw new IllegalArgumentException("ttlMillis must be >= 0, was " + ttlMillis);
        this.read = read;
        this.ttlNanos = ttlMillis * 1_000_000L;
        this.nanoClock = nanoClock;
    }

    public synchronized T get() {
        long now = nanoClock.getAsLong();
        if (value == null || now - readAt >= ttlNanos) {
            value = read.get();
            readAt = now;
        }
        return value;
    }
}
