package amped.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.AsynchronousChannelGroup;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event dispatcher: one thread that takes the next event and runs the handler registered for it.
 * Handlers run to completion and never block; a handler that needs I/O starts it and returns.
 *
 * <p>The thread is the one thread of a channel group made with
 * {@link AsynchronousChannelGroup#withFixedThreadPool}: the JDK's epoll loop runs on it and calls the
 * completion handlers of the group's sockets there, so a socket completion costs no thread hop. Such a
 * handler only queues its event ({@link #enqueue}); the first one of a poll round starts a <em>turn</em>,
 * which runs queued events until none is left or the turn has used its time budget, then returns to the
 * poll. An event raised while a turn runs (a write that completed at once, a task a handler queued) goes to
 * the back of the queue, so a handler never runs nested inside another one.
 *
 * <p>Other threads (disk helpers, the access-log writer, the timer thread, shutdown) put events in a
 * lock-free inbox and, only when the dispatcher is not in a turn, wake it through the group: a task
 * posted to the group is the JDK's self-pipe wake-up of its epoll loop. Timers are checked every turn; the
 * earliest deadline is watched by one shared timer thread that wakes the dispatcher when it passes.
 * {@link #execute(Runnable)} only enqueues; it never runs the task in the caller.
 */
public final class Dispatcher implements Executor {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    /** Longest a turn runs before it lets the poll in again; chosen by {@code compare.sh}/{@code mixed.sh}. */
    static final long TURN_BUDGET_NANOS = 500_000;
    /** Cross-thread events moved to the ready queue at a time; bounds how long local events can wait. */
    private static final int INBOX_BATCH = 4096;

    static {
        // Our completion handlers only queue an event, so the JDK's guard against deep handler recursion
        // (16 direct invocations per poll event, after which reads and writes are not even tried at
        // once) would only turn a turn's quick writes into extra poll round-trips.
        if (System.getProperty("sun.nio.ch.maxCompletionHandlersOnStack") == null) {
            System.setProperty("sun.nio.ch.maxCompletionHandlersOnStack", "1000000");
        }
    }

    private final String name;
    private final AsynchronousChannelGroup group;
    /** Runs a task on the group's thread, waking its poll. */
    private final Executor wakeUp;
    private volatile Thread thread;
    private final ConcurrentLinkedQueue<Event> inbox = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<Event> ready = new ArrayDeque<>(1024);
    /** Pieces of long jobs that wait for the next poll round ({@link #executeAfterPoll}). */
    private final ArrayDeque<Event> afterPoll = new ArrayDeque<>();
    private final TimerQueue timers = new TimerQueue();
    private final TimerWake timerWake = new TimerWake(this);
    private final long[] eventsByKind = new long[Event.Kind.values().length];
    private final Histogram handlerTime = new Histogram();
    private final AtomicLong eventsDispatched = new AtomicLong();
    private final AtomicLong handlerFailures = new AtomicLong();
    private final AtomicLong wakeups = new AtomicLong();
    /** Whether a turn runs now: producers on other threads need not wake a dispatcher that will look anyway. */
    private volatile boolean inTurn;
    /** Whether a turn has been posted to the group and has not begun yet. */
    private final AtomicBoolean turnPosted = new AtomicBoolean();
    private final Runnable postedTurn = this::postedTurn;
    private volatile boolean stopRequested;
    private boolean dispatching;

    /** Creates the dispatcher with its channel group; its thread starts at once and waits for events. */
    public Dispatcher(String name) {
        this(name, false);
    }

    /** @param wakeSocket wake the poll through a socket pair even where the group can do it itself (tests) */
    Dispatcher(String name, boolean wakeSocket) {
        this.name = name;
        try {
            this.group = AsynchronousChannelGroup.withFixedThreadPool(1, task -> {
                Thread t = new Thread(task, name);
                // the server's owner decides how long the process lives, not a forgotten dispatcher
                t.setDaemon(true);
                thread = t;
                return t;
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the channel group of " + name, e);
        }
        this.wakeUp = wakeSocket ? new GroupWakeUp.WakeSocket(group) : GroupWakeUp.of(group);
    }

    /** The channel group whose sockets this dispatcher polls: open the connections' channels in it. */
    public AsynchronousChannelGroup group() {
        return group;
    }

    /** Whether the caller is this dispatcher's thread: connection state may only be touched there. */
    public boolean inDispatcherThread() {
        return Thread.currentThread() == thread;
    }

    /**
     * Queues an event. On the dispatcher thread it goes to the back of the local queue: it runs after the
     * current handler returns, in this turn or, outside one (a completion the JDK's poll delivered), in a
     * turn started now. From any other thread it goes to the inbox, waking the dispatcher if it polls.
     */
    public void enqueue(Event event) {
        if (Thread.currentThread() == thread) {
            ready.addLast(event);
            if (!inTurn) {
                turn();
            }
            return;
        }
        inbox.offer(event);
        if (!inTurn) {
            postTurn(true);
        }
    }

    /** Enqueues {@code task} to run on the dispatcher thread; never runs it in the caller. */
    @Override
    public void execute(Runnable task) {
        enqueue(new Event.Task(task));
    }

    /**
     * Runs {@code task} on the dispatcher once the poll has had another round: for the next piece of a long
     * job (a bulk send's next chunk), so that every socket that became ready meanwhile is served before it.
     * A poll round with many such jobs runs one piece of each. Dispatcher thread only.
     */
    public void executeAfterPoll(Runnable task) {
        assert inDispatcherThread() : "executeAfterPoll off the dispatcher thread";
        afterPoll.addLast(new Event.Task(task));
    }

    /** Schedules (or moves) a timer; dispatcher thread only. */
    public void schedule(Timer timer, long delayNanos) {
        assert inDispatcherThread() : "timer scheduled off the dispatcher thread";
        timers.schedule(timer, System.nanoTime() + delayNanos);
    }

    /** Cancels a timer; dispatcher thread only. */
    public void cancel(Timer timer) {
        assert inDispatcherThread() : "timer cancelled off the dispatcher thread";
        timers.cancel(timer);
    }

    public long eventsDispatched() {
        return eventsDispatched.get();
    }

    /** Handlers that threw: each one is a bug, so tests assert this stays zero. */
    public long handlerFailures() {
        return handlerFailures.get();
    }

    /** Events dispatched per {@link Event.Kind}, by ordinal; dispatcher thread only. */
    public long[] eventsByKind() {
        assert inDispatcherThread();
        return eventsByKind.clone();
    }

    /** Time spent in handlers, per event; dispatcher thread only. */
    public Histogram handlerTime() {
        assert inDispatcherThread();
        return handlerTime.copy();
    }

    /** Times another thread had to wake the dispatcher's poll. */
    public long wakeups() {
        return wakeups.get();
    }

    /** Events waiting in the inbox (approximate, any thread). */
    public int queueDepth() {
        return inbox.size();
    }

    /** Wakes the poll for a turn unless one is posted already; {@code crossThread} counts it as a wake-up. */
    private void postTurn(boolean crossThread) {
        if (!turnPosted.get() && turnPosted.compareAndSet(false, true)) {
            if (crossThread) {
                wakeups.incrementAndGet();
            }
            try {
                wakeUp.execute(postedTurn);
            } catch (RuntimeException shutDown) {
                // the group is gone: the dispatcher has stopped and drops what comes
                turnPosted.set(false);
            }
        }
    }

    /** A turn posted to the group runs after a poll: the pieces that waited for one go first. */
    private void postedTurn() {
        turnPosted.set(false);
        for (int n = afterPoll.size(); n > 0; n--) {
            ready.addLast(afterPoll.pollFirst());
        }
        turn();
    }

    /** Timer thread: a deadline has passed. */
    void timerDue() {
        if (!inTurn) {
            postTurn(true);
        }
    }

    private void turn() {
        inTurn = true;
        try {
            if (stopRequested) {
                ready.clear();
                inbox.clear();
                afterPoll.clear();
                return;
            }
            long start = System.nanoTime();
            moveInbox();
            runDueTimers(start);
            long at = start;
            Event e;
            while ((e = ready.pollFirst()) != null) {
                run(e);
                long end = System.nanoTime();
                handlerTime.record(end - at);
                at = end;
                if (end - start >= TURN_BUDGET_NANOS) {
                    break;
                }
                if (ready.isEmpty()) {
                    moveInbox();
                }
            }
        } finally {
            inTurn = false;
        }
        // re-check after leaving the turn: a producer that saw it running did not wake the poll
        if (!ready.isEmpty() || !inbox.isEmpty() || !afterPoll.isEmpty()) {
            postTurn(false);
        }
        long next = timers.nextDeadline();
        if (next != Long.MAX_VALUE && next - System.nanoTime() <= 0) {
            postTurn(false);
        } else {
            timerWake.watch(next);
        }
    }

    private void moveInbox() {
        for (int i = 0; i < INBOX_BATCH; i++) {
            Event e = inbox.poll();
            if (e == null) {
                return;
            }
            ready.addLast(e);
        }
    }

    private void run(Event event) {
        assert !dispatching : "nested handler execution";
        dispatching = true;
        try {
            event.dispatch();
        } catch (Throwable failure) {
            handlerFailures.incrementAndGet();
            log.error("{}: handler for {} failed", name, event.getClass().getSimpleName(), failure);
            EventTarget target = event.target();
            if (target != null) {
                try {
                    target.handlerFailed(failure);
                } catch (Throwable second) {
                    log.error("{}: cleanup after a failed handler failed too", name, second);
                }
            }
        } finally {
            dispatching = false;
            eventsByKind[event.kind().ordinal()]++;
            eventsDispatched.lazySet(eventsDispatched.get() + 1);
        }
    }

    private void runDueTimers(long now) {
        try {
            timers.runDue(now);
        } catch (Throwable failure) {
            handlerFailures.incrementAndGet();
            log.error("{}: timer action failed", name, failure);
        }
    }

    /**
     * Ends the loop after the current turn: the group closes what is still open in it and its thread
     * ends; events still queued are dropped. Any thread.
     */
    public void stop() {
        stopRequested = true;
        timerWake.cancel();
        try {
            group.shutdownNow();
        } catch (IOException e) {
            log.debug("{}: closing the channel group: {}", name, e.toString());
        }
    }

    public boolean awaitStop(long timeout, TimeUnit unit) throws InterruptedException {
        return group.awaitTermination(timeout, unit);
    }
}
