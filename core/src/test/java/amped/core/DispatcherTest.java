package amped.core;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class DispatcherTest {

    private final Dispatcher dispatcher = newDispatcher("amped-dispatcher-0");

    /** The dispatcher under test; a subclass runs every test with the socket-pair wake-up. */
    Dispatcher newDispatcher(String name) {
        return new Dispatcher(name);
    }

    @AfterEach
    void stop() throws InterruptedException {
        dispatcher.stop();
        assertTrue(dispatcher.awaitStop(5, TimeUnit.SECONDS));
    }

    @Test
    void runsEventsFromOneProducerInOrderOnTheDispatcherThread() {
        List<Integer> seen = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            int n = i;
            dispatcher.execute(() -> {
                seen.add(n);
                threads.add(Thread.currentThread().getName());
            });
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 10_000);
        for (int i = 0; i < 10_000; i++) {
            assertEquals(i, seen.get(i));
        }
        assertEquals(Collections.singleton("amped-dispatcher-0"), new java.util.HashSet<>(threads));
    }

    @Test
    void acceptsEventsFromManyThreadsAtOnceAndRunsEachExactlyOnce() throws InterruptedException {
        int producers = 8;
        int perProducer = 20_000;
        AtomicInteger ran = new AtomicInteger();
        List<List<Integer>> perProducerOrder = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            perProducerOrder.add(new ArrayList<>());
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perProducer; i++) {
                    int n = i;
                    // only the dispatcher thread touches the lists: no synchronisation needed if confinement holds
                    dispatcher.execute(() -> {
                        assertTrue(dispatcher.inDispatcherThread());
                        perProducerOrder.get(producer).add(n);
                        ran.incrementAndGet();
                    });
                }
            });
            threads.add(t);
            t.start();
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> ran.get() == producers * perProducer);
        CountDownLatch checked = new CountDownLatch(1);
        dispatcher.execute(() -> {
            for (List<Integer> order : perProducerOrder) {
                for (int i = 0; i < perProducer; i++) {
                    assertEquals(i, order.get(i));
                }
            }
            checked.countDown();
        });
        assertTrue(checked.await(5, TimeUnit.SECONDS));
        assertEquals(0, dispatcher.handlerFailures());
    }

    @Test
    void anEventRaisedInsideAHandlerRunsOnlyAfterThatHandlerReturns() {
        List<String> trace = new CopyOnWriteArrayList<>();
        dispatcher.execute(() -> {
            trace.add("outer start");
            dispatcher.execute(() -> trace.add("inner"));
            dispatcher.enqueue(new Event.Task(() -> trace.add("inner event")));
            trace.add("outer end");
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> trace.size() == 4);
        assertEquals(List.of("outer start", "outer end", "inner", "inner event"), trace);
    }

    @Test
    void aPieceQueuedForAfterThePollWaitsForAPostedRoundWhileAnEventQueuedLaterRunsFirst() {
        List<String> trace = new CopyOnWriteArrayList<>();
        dispatcher.execute(() -> {
            dispatcher.executeAfterPoll(() -> trace.add("after the poll"));
            dispatcher.execute(() -> {
                trace.add("queued later");
                dispatcher.execute(() -> trace.add("raised by it"));
            });
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> trace.size() == 3);
        // queued first, it still runs after what was queued behind it (a plain execute would run it first)
        assertTrue(trace.indexOf("queued later") < trace.indexOf("after the poll"), trace.toString());
    }

    @Test
    void executeNeverRunsTheTaskInTheCallingThread() throws InterruptedException {
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        dispatcher.execute(() -> {
            blocked.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(blocked.await(5, TimeUnit.SECONDS));
        AtomicReference<String> ranOn = new AtomicReference<>();
        dispatcher.execute(() -> ranOn.set(Thread.currentThread().getName()));
        // the dispatcher is blocked, so if execute had run the task, it would have run here, now
        assertNull(ranOn.get());
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> "amped-dispatcher-0".equals(ranOn.get()));
    }

    @Test
    void wakesTheParkedDispatcherButDoesNotUnparkForEveryEvent() throws InterruptedException {
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        dispatcher.execute(() -> {
            busy.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(busy.await(5, TimeUnit.SECONDS));
        long wakeupsBefore = dispatcher.wakeups();
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 50_000; i++) {
            dispatcher.execute(ran::incrementAndGet);
        }
        // while it runs a handler it is not parked: not one of those events may have cost an unpark
        assertEquals(wakeupsBefore, dispatcher.wakeups());
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> ran.get() == 50_000);
        // and once idle (parked), a single event still gets through promptly
        await().atMost(Duration.ofSeconds(5)).until(() -> dispatcher.queueDepth() == 0);
        CountDownLatch late = new CountDownLatch(1);
        dispatcher.execute(late::countDown);
        assertTrue(late.await(5, TimeUnit.SECONDS));
    }

    @Test
    void aThrowingHandlerIsCountedItsTargetToldAndTheLoopGoesOn() throws InterruptedException {
        List<Throwable> told = new CopyOnWriteArrayList<>();
        ReceiveHandler broken = new ReceiveHandler() {
            @Override
            public void onReceived(int bytes) {
                throw new IllegalStateException("boom " + bytes);
            }

            @Override
            public void onReceiveFailed(Throwable failure) {
            }

            @Override
            public void handlerFailed(Throwable failure) {
                told.add(failure);
            }
        };
        dispatcher.enqueue(new Event.Received(broken, 7));
        CountDownLatch after = new CountDownLatch(1);
        dispatcher.execute(after::countDown);
        assertTrue(after.await(5, TimeUnit.SECONDS));
        assertEquals(1, dispatcher.handlerFailures());
        assertEquals(1, told.size());
        assertEquals("boom 7", told.get(0).getMessage());
    }

    @Test
    void timersFireInDeadlineOrderOnTheDispatcherAndCancelledOnesDoNot() {
        List<String> fired = new CopyOnWriteArrayList<>();
        dispatcher.execute(() -> {
            Timer late = new Timer(() -> fired.add("late:" + Thread.currentThread().getName()));
            Timer early = new Timer(() -> fired.add("early:" + Thread.currentThread().getName()));
            Timer cancelled = new Timer(() -> fired.add("cancelled"));
            dispatcher.schedule(late, TimeUnit.MILLISECONDS.toNanos(300));
            dispatcher.schedule(cancelled, TimeUnit.MILLISECONDS.toNanos(100));
            dispatcher.schedule(early, TimeUnit.MILLISECONDS.toNanos(150));
            dispatcher.cancel(cancelled);
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> fired.size() == 2);
        assertEquals(List.of("early:amped-dispatcher-0", "late:amped-dispatcher-0"), fired);
    }

    @Test
    void stopEndsTheThread() throws InterruptedException {
        Dispatcher other = newDispatcher("amped-dispatcher-9");
        CountDownLatch ran = new CountDownLatch(1);
        other.execute(ran::countDown);
        assertTrue(ran.await(5, TimeUnit.SECONDS));
        assertFalse(other.awaitStop(0, TimeUnit.SECONDS), "still running");
        other.stop();
        assertTrue(other.awaitStop(5, TimeUnit.SECONDS));
        // the pool reports termination as its last worker leaves; the thread itself ends a moment later
        await().atMost(Duration.ofSeconds(5)).until(() ->
                Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("amped-dispatcher-9")));
    }
}
