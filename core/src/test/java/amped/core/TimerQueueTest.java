package amped.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TimerQueueTest {

    @Test
    void runsDueTimersInDeadlineOrderAndLeavesTheRest() {
        TimerQueue q = new TimerQueue();
        List<Long> fired = new ArrayList<>();
        Random random = new Random(42);
        List<Long> deadlines = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            long d = random.nextInt(1_000_000);
            deadlines.add(d);
            q.schedule(new Timer(() -> fired.add(d)), d);
        }
        assertEquals(5_000, q.size());
        int ran = q.runDue(500_000);
        List<Long> expected = deadlines.stream().filter(d -> d <= 500_000).sorted().toList();
        assertEquals(expected, fired);
        assertEquals(expected.size(), ran);
        assertEquals(5_000 - expected.size(), q.size());
        assertTrue(q.nextDeadline() > 500_000);
    }

    @Test
    void reschedulingMovesATimerAndCancellingRemovesIt() {
        TimerQueue q = new TimerQueue();
        List<String> fired = new ArrayList<>();
        Timer a = new Timer(() -> fired.add("a"));
        Timer b = new Timer(() -> fired.add("b"));
        Timer c = new Timer(() -> fired.add("c"));
        q.schedule(a, 10);
        q.schedule(b, 20);
        q.schedule(c, 30);
        q.schedule(a, 40); // moved later
        q.cancel(b);
        assertFalse(b.isScheduled());
        assertEquals(30, q.nextDeadline());
        q.runDue(100);
        assertEquals(List.of("c", "a"), fired);
        assertEquals(Long.MAX_VALUE, q.nextDeadline());
        q.cancel(b); // cancelling twice is harmless
        assertEquals(0, q.size());
    }

    @Test
    void aTimerMayRescheduleItselfWhileRunning() {
        TimerQueue q = new TimerQueue();
        int[] count = new int[1];
        Timer[] self = new Timer[1];
        self[0] = new Timer(() -> {
            if (++count[0] < 3) {
                q.schedule(self[0], 1000L * count[0]);
            }
        });
        q.schedule(self[0], 0);
        q.runDue(0);
        assertEquals(1, count[0]);
        q.runDue(5000);
        assertEquals(3, count[0]);
        assertEquals(0, q.size());
    }

    @Test
    void handlesNanoTimeWrapAround() {
        TimerQueue q = new TimerQueue();
        List<String> fired = new ArrayList<>();
        long nearMax = Long.MAX_VALUE - 10;
        q.schedule(new Timer(() -> fired.add("before wrap")), nearMax);
        q.schedule(new Timer(() -> fired.add("after wrap")), nearMax + 20); // overflows to negative
        q.runDue(nearMax + 5);
        assertEquals(List.of("before wrap"), fired);
        q.runDue(nearMax + 25);
        assertEquals(List.of("before wrap", "after wrap"), fired);
    }
}
