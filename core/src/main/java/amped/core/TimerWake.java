package amped.core;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Wakes a dispatcher whose poll waits without a timeout when its earliest timer falls due. One clock
 * thread serves every dispatcher. The wake is moved only when a deadline comes earlier than the armed one:
 * connections push their deadlines later with every request, and a wake that comes too early costs one
 * empty turn, after which the next deadline is armed.
 */
final class TimerWake implements Runnable {

    private static final ScheduledThreadPoolExecutor CLOCK = clock();

    private final Dispatcher dispatcher;
    /** Dispatcher thread: when the armed wake fires, or Long.MAX_VALUE when none is armed. */
    private long armedFor = Long.MAX_VALUE;
    private ScheduledFuture<?> armed;

    TimerWake(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    /** Arms a wake for {@code deadlineNanos} unless an earlier one is armed. Dispatcher thread. */
    void watch(long deadlineNanos) {
        if (deadlineNanos == Long.MAX_VALUE) {
            return;
        }
        long now = System.nanoTime();
        if (armed != null && armedFor - now <= 0) {
            // it has fired or is firing: this turn may be its turn
            armed = null;
            armedFor = Long.MAX_VALUE;
        }
        if (armed != null && deadlineNanos - armedFor >= 0) {
            return;
        }
        if (armed != null) {
            armed.cancel(false);
        }
        armedFor = deadlineNanos;
        armed = CLOCK.schedule(this, Math.max(0, deadlineNanos - now), TimeUnit.NANOSECONDS);
    }

    /** Any thread: no wake after the dispatcher stops. */
    void cancel() {
        ScheduledFuture<?> a = armed;
        if (a != null) {
            a.cancel(false);
        }
    }

    @Override
    public void run() {
        dispatcher.timerDue();
    }

    private static ScheduledThreadPoolExecutor clock() {
        ScheduledThreadPoolExecutor clock = new ScheduledThreadPoolExecutor(1, task -> {
            Thread t = new Thread(task, "amped-timers");
            t.setDaemon(true);
            return t;
        });
        clock.setRemoveOnCancelPolicy(true);
        return clock;
    }
}
