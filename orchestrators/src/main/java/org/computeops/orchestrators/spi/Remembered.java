package org.computeops.orchestrators.spi;

import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A value read from the control plane and reused for a short time, so that per-submit checks at
 * hundreds of submissions/s do not each list a thousand nodes. Read again once older than the time
 * set (0: every call); the time is taken before the read, so a value is never reused longer than
 * that. Concurrent callers share one read per period. {@link #refreshedInBackground} instead hands
 * out the old value while one background read replaces it: there, listing 1,000 Kubernetes nodes on
 * a busy machine took seconds, and every submission waited for it every period.
 */
public final class Remembered<T> {

    private final Supplier<T> read;
    private final long ttlNanos;
    private final LongSupplier nanoClock;
    private final boolean background;
    private T value; // guarded by this
    private long readAt;
    private boolean refreshing;

    public Remembered(Supplier<T> read, long ttlMillis, LongSupplier nanoClock) {
        this(read, ttlMillis, nanoClock, false);
    }

    private Remembered(Supplier<T> read, long ttlMillis, LongSupplier nanoClock, boolean background) {
        if (ttlMillis < 0) throw new IllegalArgumentException("ttlMillis must be >= 0, was " + ttlMillis);
        this.read = read;
        this.ttlNanos = ttlMillis * 1_000_000L;
        this.nanoClock = nanoClock;
        this.background = background;
    }

    /** The first read is waited for; later ones run on a background thread while callers get the value before. */
    public static <T> Remembered<T> refreshedInBackground(Supplier<T> read, long ttlMillis, LongSupplier nanoClock) {
        return new Remembered<>(read, ttlMillis, nanoClock, true);
    }

    public T get() {
        T current;
        synchronized (this) {
            long now = nanoClock.getAsLong();
            if (value != null && now - readAt < ttlNanos) return value;
            if (value == null || !background) {
                value = read.get();
                readAt = now;
                return value;
            }
            current = value;
            if (refreshing) return current;
            refreshing = true;
        }
        Thread t = new Thread(this::refresh, "remembered-refresh");
        t.setDaemon(true);
        t.start();
        return current;
    }

    private void refresh() {
        long at = nanoClock.getAsLong();
        try {
            T fresh = read.get();
            synchronized (this) {
                value = fresh;
                readAt = at;
            }
        } catch (RuntimeException e) {
            // the old value stands; the next call after the period tries again
        } finally {
            synchronized (this) {
                refreshing = false;
            }
        }
    }
}
