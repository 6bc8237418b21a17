package amped.fileio;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The disk helper threads: the "asymmetric" part of the AMPED design. Blocking file work (open, stat,
 * directory listing) and the reads of every {@link java.nio.channels.AsynchronousFileChannel} run here, on
 * a fixed number of threads, so the dispatchers never wait for a disk. Their work queue needs no bound of
 * its own: each connection has at most one disk operation in flight.
 */
public final class DiskHelpers {

    private DiskHelpers() {
    }

    /** A fixed pool of {@code threads} daemon threads named {@code amped-disk-<i>}. */
    public static ExecutorService create(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("disk threads must be at least 1, was " + threads);
        }
        AtomicInteger next = new AtomicInteger();
        ThreadFactory factory = task -> {
            Thread t = new Thread(task, "amped-disk-" + next.getAndIncrement());
            t.setDaemon(true);
            return t;
        };
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), factory);
    }
}
