package amped.core;

/**
 * A reusable one-shot timer owned by one dispatcher. A connection keeps one and moves its deadline as it
 * goes from reading a head to sending to idling, so timeouts cost no allocation.
 */
public final class Timer {

    final Runnable action;
    long deadlineNanos;
    int heapIndex = -1;

    public Timer(Runnable action) {
        this.action = action;
    }

    public boolean isScheduled() {
        return heapIndex >= 0;
    }

    public long deadlineNanos() {
        return deadlineNanos;
    }
}
