package amped.core.server;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Pooled direct buffers under a byte budget, for one dispatcher (so no locks). Direct, because the JDK
 * copies a heap buffer into a temporary direct one on every channel read and write.
 *
 * <p>Buffers come in power-of-two size classes from {@link #MIN_BUFFER} up to the chunk size: a 1 KiB
 * file needs a small buffer, a large file a chunk-sized one. Buffers are allocated on first need while
 * the budget allows and are then reused forever, so memory stays within the budget whatever the traffic.
 * When the budget is spent and no buffer is free, a caller may get a free buffer of another class (any
 * size works, a small one only means more, smaller writes) or else waits in line: waiters are served in
 * the order they came, one released buffer each.
 *
 * <p>A client that stops reading keeps its buffer until its send times out. So that many such clients
 * cannot pin the whole budget in chunk-sized buffers, the size handed out shrinks as the pool fills:
 * past half of the budget in use, at most {@link #PRESSURE_BUFFER}; past three quarters, the smallest class.
 */
public final class BufferPool {

    /** The smallest class; it holds any response head amped writes. */
    public static final int MIN_BUFFER = 16 * 1024;
    /** The largest buffer handed out while more than half of the budget is in use. */
    public static final int PRESSURE_BUFFER = 64 * 1024;

    /** Someone who could not get a buffer and is waiting for one. */
    public interface Waiter {
        /** Called with a buffer that is now the waiter's to use and release. */
        void bufferAvailable(ByteBuffer buffer);

        /** Whether the waiter still wants a buffer (it may have closed meanwhile). */
        boolean stillWaiting();
    }

    private final int[] classSizes;
    private final ArrayDeque<ByteBuffer>[] free;
    private final long budget;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private final java.util.function.Consumer<Runnable> defer;
    private long allocatedBytes;
    private long inUseBytes;
    private int inUseCount;

    /**
     * @param chunkSize largest buffer handed out
     * @param budget    most bytes ever allocated
     * @param defer     runs a hand-over to a waiter later on the owning dispatcher, so a release inside one
     *                  handler never runs another connection's handler nested in it
     */
    @SuppressWarnings("unchecked")
    public BufferPool(int chunkSize, long budget, java.util.function.Consumer<Runnable> defer) {
        if (chunkSize < MIN_BUFFER) {
            throw new IllegalArgumentException("chunk size must be at least " + MIN_BUFFER + " bytes");
        }
        if (budget < chunkSize) {
            throw new IllegalArgumentException("buffer memory must hold at least one chunk");
        }
        int n = 1;
        for (long s = MIN_BUFFER; s < chunkSize; s *= 2) {
            n++;
        }
        classSizes = new int[n];
        for (int i = 0; i < n - 1; i++) {
            classSizes[i] = MIN_BUFFER << i;
        }
        classSizes[n - 1] = chunkSize;
        @SuppressWarnings("unchecked") // an array of a generic type can only be made raw
        ArrayDeque<ByteBuffer>[] queues = (ArrayDeque<ByteBuffer>[]) new ArrayDeque<?>[n];
        free = queues;
        for (int i = 0; i < n; i++) {
            free[i] = new ArrayDeque<>();
        }
        this.budget = budget;
        this.defer = defer;
    }

    /** A cleared buffer of at least {@code wanted} bytes (capped at the chunk size) if one can be had now, else null. */
    public ByteBuffer tryAcquire(int wanted) {
        int c = classFor(Math.min(wanted, pressureCap()));
        ByteBuffer b = free[c].pollLast();
        if (b == null && allocatedBytes + classSizes[c] <= budget) {
            b = ByteBuffer.allocateDirect(classSizes[c]);
            allocatedBytes += classSizes[c];
        }
        if (b == null) {
            b = anyFree(c);
        }
        if (b == null) {
            b = allocateLargestAffordable(c);
        }
        if (b != null) {
            b.clear();
            inUseBytes += b.capacity();
            inUseCount++;
        }
        return b;
    }

    /**
     * A buffer now, or null after putting {@code waiter} in line; it then gets one through
     * {@link Waiter#bufferAvailable}. Someone already waiting goes first.
     */
    public ByteBuffer acquireOrWait(int wanted, Waiter waiter) {
        if (waiters.isEmpty()) {
            ByteBuffer b = tryAcquire(wanted);
            if (b != null) {
                return b;
            }
        }
        waiters.addLast(waiter);
        return null;
    }

    /** Returns a buffer; the first live waiter gets it. */
    public void release(ByteBuffer buffer) {
        inUseBytes -= buffer.capacity();
        inUseCount--;
        free[classOfCapacity(buffer.capacity())].addLast(buffer);
        handOver();
    }

    private void handOver() {
        while (!waiters.isEmpty()) {
            Waiter w = waiters.pollFirst();
            if (!w.stillWaiting()) {
                continue;
            }
            ByteBuffer b = tryAcquire(MIN_BUFFER);
            if (b == null) {
                waiters.addFirst(w);
                return;
            }
            defer.accept(() -> {
                if (w.stillWaiting()) {
                    w.bufferAvailable(b);
                } else {
                    release(b);
                }
            });
            return;
        }
    }

    private ByteBuffer anyFree(int wantedClass) {
        for (int c = wantedClass + 1; c < free.length; c++) {
            ByteBuffer b = free[c].pollLast();
            if (b != null) {
                return b;
            }
        }
        for (int c = wantedClass - 1; c >= 0; c--) {
            ByteBuffer b = free[c].pollLast();
            if (b != null) {
                return b;
            }
        }
        return null;
    }

    private int pressureCap() {
        if (inUseBytes * 4 > budget * 3) {
            return MIN_BUFFER;
        }
        return inUseBytes * 2 > budget ? PRESSURE_BUFFER : Integer.MAX_VALUE;
    }

    /** With the budget too low for the class wanted, a smaller buffer now beats waiting. */
    private ByteBuffer allocateLargestAffordable(int wantedClass) {
        for (int c = wantedClass - 1; c >= 0; c--) {
            if (allocatedBytes + classSizes[c] <= budget) {
                allocatedBytes += classSizes[c];
                return ByteBuffer.allocateDirect(classSizes[c]);
            }
        }
        return null;
    }

    private int classFor(int wanted) {
        for (int c = 0; c < classSizes.length; c++) {
            if (classSizes[c] >= wanted) {
                return c;
            }
        }
        return classSizes.length - 1;
    }

    private int classOfCapacity(int capacity) {
        for (int c = 0; c < classSizes.length; c++) {
            if (classSizes[c] == capacity) {
                return c;
            }
        }
        throw new IllegalArgumentException("not a buffer of this pool: capacity " + capacity);
    }


    public long budget() {
        return budget;
    }

    public long allocatedBytes() {
        return allocatedBytes;
    }

    public long inUseBytes() {
        return inUseBytes;
    }

    public int inUseCount() {
        return inUseCount;
    }

    public int waiting() {
        return waiters.size();
    }
}
