package amped.core;

import java.util.Arrays;

/**
 * A fixed-bucket histogram of durations in nanoseconds, Prometheus style (cumulative on export). Owned by
 * one thread; others read it through {@link #copy()} made on that thread.
 */
public final class Histogram {

    /** Upper bounds of the buckets, in nanoseconds; a last, unbounded bucket follows. */
    public static final long[] BOUNDS = {
        1_000, 5_000, 10_000, 50_000, 100_000, 500_000,
        1_000_000, 5_000_000, 10_000_000, 50_000_000, 100_000_000, 500_000_000, 1_000_000_000,
    };

    private final long[] counts = new long[BOUNDS.length + 1];
    private long sumNanos;

    public void record(long nanos) {
        int i = 0;
        while (i < BOUNDS.length && nanos > BOUNDS[i]) {
            i++;
        }
        counts[i]++;
        sumNanos += nanos;
    }

    /** Count per bucket (the last one unbounded), not cumulative. */
    public long[] counts() {
        return counts.clone();
    }

    public long count() {
        return Arrays.stream(counts).sum();
    }

    public long sumNanos() {
        return sumNanos;
    }

    public Histogram copy() {
        Histogram h = new Histogram();
        System.arraycopy(counts, 0, h.counts, 0, counts.length);
        h.sumNanos = sumNanos;
        return h;
    }

    /** Adds another histogram's counts into this one (to merge dispatchers). */
    public void add(Histogram other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        sumNanos += other.sumNanos;
    }
}
