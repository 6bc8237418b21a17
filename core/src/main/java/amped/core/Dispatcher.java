package amped.core;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event dispatcher: one thread that loops, takes the next event and runs the handler registered for
 * it. Handlers run to completion and never block; a handler that needs I/O starts it and returns.
 *
 * <p>Other threads (the channel group's poller, disk helpers) hand events over through a lock-free
 * multi-producer queue and wake the thread only if it is parked. Events raised on the dispatcher thread
 * itself (a completion handler the JDK invoked directly because the I/O finished at once) go to the back
 * of a local queue, so a handler never runs nested inside another one.
 *
 * <p>The dispatcher is also the executor of its sockets' {@link java.nio.channels.AsynchronousChannelGroup}
 * (see {@link #asGroupExecutor()}), so a completion travels poller thread → dispatcher in one hop.
 * {@link #execute(Runnable)} only enqueues; it never runs the task in the caller.
 */
public final class Dispatcher implements Executor {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    /** Cross-thread events moved to the ready queue per turn; bounds how long local events can wait. */
    private static final int INBOX_BATCH = 4096;

    private final String name;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Event> inbox = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<Event> ready = new ArrayDeque<>(1024);
    private final TimerQueue timers = new TimerQueue();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final long[] eventsByKind = new long[Event.Kind.values().length];
    private final Histogram handlerTime = new Histogram();
    private final AtomicLong eventsDispatched = new AtomicLong();
    private final AtomicLong handlerFailures = new AtomicLong();
    private final AtomicLong wakeups = new AtomicLong();
    private volatile boolean parked;
    private volatile boolean stopRequested;
    /** Guarded by this: whether {@link #start()} ran, so that stopping one that never ran waits for nothing. */
    private boolean started;
    private boolean dispatching;
    /** Set while the channel group's invocation runs: the event its completion handler raises is caught here. */
    private boolean invoking;
    private Event raisedByInvocation;

    public Dispatcher(String name) {
        this.name = name;
        this.thread = new Thread(this::loop, name);
        // the server's owner decides how long the process lives, not a forgotten dispatcher
        this.thread.setDaemon(true);
    }

    /** Starts the dispatcher thread. */
    public synchronized Dispatcher start() {
        started = true;
        thread.start();
        return this;
    }

    /** Whether the caller is this dispatcher's thread: connection state may only be touched there. */
    public boolean inDispatcherThread() {
        return Thread.currentThread() == thread;
    }

    /**
     * Queues an event. From the dispatcher thread it goes to the back of the local queue (it runs after the
     * current handler returns); from any other thread to the inbox, waking the dispatcher if it sleeps.
     */
    public void enqueue(Event event) {
        if (Thread.currentThread() == thread) {
            if (invoking && raisedByInvocation == null) {
                raisedByInvocation = event;
            } else {
                ready.addLast(event);
            }
            return;
        }
        inbox.offer(event);
        if (parked) {
            wakeups.incrementAndGet();
            LockSupport.unpark(thread);
        }
    }

    /** Enqueues {@code task} to run on the dispatcher thread; never runs it in the caller. */
    @Override
    public void execute(Runnable task) {
        enqueue(new Event.Task(task));
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

    public long wakeups() {
        return wakeups.get();
    }

    /** Events waiting in the inbox (approximate, any thread). */
    public int queueDepth() {
        return inbox.size();
    }

    private void loop() {
        try {
            while (!stopRequested) {
                for (int i = 0; i < INBOX_BATCH; i++) {
                    Event e = inbox.poll();
                    if (e == null) {
                        break;
                    }
                    ready.addLast(e);
                }
                runDueTimers();
                int batch = ready.size();
                if (batch == 0) {
                    park();
                    continue;
                }
                // only the events ready now: those they raise wait for the next turn, after the inbox
                long start = System.nanoTime();
                for (int i = 0; i < batch; i++) {
                    dispatch(ready.pollFirst());
                    long end = System.nanoTime();
                    handlerTime.record(end - start);
                    start = end;
                }
            }
        } finally {
            terminated.countDown();
        }
    }

    private void dispatch(Event event) {
        if (event instanceof Event.Invocation) {
            // the JDK's trampoline: run it, then (not inside it) the one event its completion handler raised
            invoking = true;
            try {
                run(event);
            } finally {
                invoking = false;
            }
            Event raised = raisedByInvocation;
            raisedByInvocation = null;
            if (raised != null) {
                run(raised);
            }
            return;
        }
        run(event);
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

    private void runDueTimers() {
        try {
            timers.runDue(System.nanoTime());
        } catch (Throwable failure) {
            handlerFailures.incrementAndGet();
            log.error("{}: timer action failed", name, failure);
        }
    }

    private void park() {
        parked = true;
        try {
            // re-check after announcing the park: a producer that missed the flag has already enqueued
            if (inbox.isEmpty() && !stopRequested) {
                long next = timers.nextDeadline();
                if (next == Long.MAX_VALUE) {
                    LockSupport.park(this);
                } else {
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(this, wait);
                    }
                }
            }
        } finally {
            parked = false;
        }
    }

    /** Asks the loop to end after the current turn; events still queued are dropped. Any thread. */
    public void stop() {
        stopRequested = true;
        synchronized (this) {
            if (!started) {
                // never started (a server whose bind failed): nothing to wait for
                terminated.countDown();
                return;
            }
        }
        LockSupport.unpark(thread);
    }

    public boolean awaitStop(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }

    /**
     * This dispatcher as the {@link ExecutorService} that {@code AsynchronousChannelGroup.withThreadPool}
     * wants. The group shuts its executor down when it terminates; that must not stop the dispatcher, whose
     * life the server manages, so the view only records it.
     */
    public ExecutorService asGroupExecutor() {
        return new GroupExecutor();
    }

    private final class GroupExecutor extends AbstractExecutorService {
        private volatile boolean shutdown;

        @Override
        public void execute(Runnable task) {
            Dispatcher.this.enqueue(new Event.Invocation(task));
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            shutdown = true;
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }

        @Override
        public boolean isTerminated() {
            return shutdown;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return shutdown;
        }
    }
}
