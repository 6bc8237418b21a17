package amped.core;

import java.util.Arrays;

/**
 * The dispatcher's timers: a binary min-heap on deadline in which every {@link Timer} knows its slot, so
 * rescheduling or cancelling is O(log n) and needs no garbage. Checked by the dispatcher loop, which parks
 * no longer than until the earliest deadline. Dispatcher-confined, not thread-safe.
 */
public final class TimerQueue {

    private Timer[] heap = new Timer[64];
    private int size;

    /** Schedules {@code timer} at {@code deadlineNanos} ({@link System#nanoTime()} scale), moving it if queued. */
    public void schedule(Timer timer, long deadlineNanos) {
        timer.deadlineNanos = deadlineNanos;
        if (timer.heapIndex >= 0) {
            int i = timer.heapIndex;
            siftUp(i);
            siftDown(timer.heapIndex);
            return;
        }
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = timer;
        timer.heapIndex = size;
        size++;
        siftUp(size - 1);
    }

    public void cancel(Timer timer) {
        int i = timer.heapIndex;
        if (i < 0) {
            return;
        }
        size--;
        Timer last = heap[size];
        heap[size] = null;
        timer.heapIndex = -1;
        if (i != size) {
            heap[i] = last;
            last.heapIndex = i;
            siftUp(i);
            siftDown(last.heapIndex);
        }
    }

    public int size() {
        return size;
    }

    /** Deadline of the earliest timer, or {@link Long#MAX_VALUE} when none is scheduled. */
    public long nextDeadline() {
        return size == 0 ? Long.MAX_VALUE : heap[0].deadlineNanos;
    }

    /** Runs every timer whose deadline is at or before {@code nowNanos}; returns how many ran. */
    public int runDue(long nowNanos) {
        int ran = 0;
        while (size > 0 && heap[0].deadlineNanos - nowNanos <= 0) {
            Timer due = heap[0];
            cancel(due);
            ran++;
            due.action.run();
        }
        return ran;
    }

    private void siftUp(int i) {
        Timer t = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Timer p = heap[parent];
            if (p.deadlineNanos - t.deadlineNanos <= 0) {
                break;
            }
            heap[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        heap[i] = t;
        t.heapIndex = i;
    }

    private void siftDown(int i) {
        Timer t = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && heap[right].deadlineNanos - heap[child].deadlineNanos < 0) {
                child = right;
            }
            Timer c = heap[child];
            if (t.deadlineNanos - c.deadlineNanos <= 0) {
                break;
            }
            heap[i] = c;
            c.heapIndex = i;
            i = child;
        }
        heap[i] = t;
        t.heapIndex = i;
    }
}
