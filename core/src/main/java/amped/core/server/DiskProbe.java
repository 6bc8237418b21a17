package amped.core.server;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether the disk helpers still answer: a trivial job handed to them must run within a bound. A helper
 * stuck in the kernel (a hung mount, a device that never answers) takes no new work, and once all are
 * stuck every uncached file, listing and revalidation waits for ever; the health endpoint says so, so
 * that a load balancer sends the traffic elsewhere. At most one probe is in flight, so a wedged pool gets
 * one job, not one per health check; a probe in flight longer than the bound means wedged. Never blocks.
 */
final class DiskProbe {

    /** A job handed to the helpers at {@code startedNanos}, completed when one of them ran it. */
    private record Probe(long startedNanos, CompletableFuture<Void> ran) {
    }

    private final Executor diskHelpers;
    private final long boundNanos;
    private final AtomicReference<Probe> inFlight = new AtomicReference<>();

    DiskProbe(Executor diskHelpers, Duration bound) {
        this.diskHelpers = diskHelpers;
        this.boundNanos = bound.toNanos();
    }

    /**
     * Completes normally once the helpers have answered within the bound (counted from the probe in
     * flight, if one is), exceptionally with a {@link TimeoutException} when they have not.
     */
    CompletableFuture<Void> check() {
        Probe probe = inFlight.get();
        if (probe == null) {
            Probe mine = new Probe(System.nanoTime(), new CompletableFuture<>());
            if (inFlight.compareAndSet(null, mine)) {
                try {
                    diskHelpers.execute(() -> {
                        inFlight.compareAndSet(mine, null);
                        mine.ran.complete(null);
                    });
                } catch (RejectedExecutionException e) {
                    // shut down: no helper will ever answer
                    inFlight.compareAndSet(mine, null);
                    return CompletableFuture.failedFuture(e);
                }
                probe = mine;
            } else {
                probe = inFlight.get();
                if (probe == null) {
                    // another check's probe came and went meanwhile: the helpers answered just now
                    return CompletableFuture.completedFuture(null);
                }
            }
        }
        long left = boundNanos - (System.nanoTime() - probe.startedNanos);
        if (left <= 0 && !probe.ran.isDone()) {
            return CompletableFuture.failedFuture(new TimeoutException("the disk helpers have not answered for "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - probe.startedNanos) + " ms"));
        }
        // a copy, so that this caller's timeout never completes the shared probe
        return probe.ran.copy().orTimeout(Math.max(left, 1), TimeUnit.NANOSECONDS);
    }
}
