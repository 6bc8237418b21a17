package amped.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BufferPoolTest {

    private static final int CHUNK = 256 * 1024;
    private final ArrayDeque<Runnable> deferred = new ArrayDeque<>();

    private BufferPool pool(long budget) {
        return new BufferPool(CHUNK, budget, deferred::add);
    }

    private void runDeferred() {
        while (!deferred.isEmpty()) {
            deferred.poll().run();
        }
    }

    @Test
    void handsOutDirectBuffersOfTheSmallestFittingClass() {
        BufferPool p = pool(8L * CHUNK);
        ByteBuffer small = p.tryAcquire(100);
        ByteBuffer mid = p.tryAcquire(20_000);
        ByteBuffer big = p.tryAcquire(10_000_000);
        assertTrue(small.isDirect());
        assertEquals(16 * 1024, small.capacity());
        assertEquals(32 * 1024, mid.capacity());
        assertEquals(CHUNK, big.capacity());
        assertEquals(3, p.inUseCount());
        assertEquals(16 * 1024 + 32 * 1024 + CHUNK, p.inUseBytes());
        p.release(small);
        p.release(mid);
        p.release(big);
        assertEquals(0, p.inUseCount());
        assertEquals(0, p.inUseBytes());
    }

    @Test
    void reusesReleasedBuffersAndNeverAllocatesBeyondTheBudget() {
        BufferPool p = pool(2L * CHUNK);
        ByteBuffer a = p.tryAcquire(CHUNK);
        ByteBuffer b = p.tryAcquire(CHUNK);
        assertNull(p.tryAcquire(CHUNK));
        assertNull(p.tryAcquire(1));
        assertEquals(2L * CHUNK, p.allocatedBytes());
        p.release(a);
        ByteBuffer again = p.tryAcquire(CHUNK);
        assertSame(a, again);
        assertEquals(2L * CHUNK, p.allocatedBytes());
        p.release(again);
        p.release(b);
        // a small request with the budget spent and only big buffers free gets a big one rather than waiting
        List<ByteBuffer> held = new ArrayList<>();
        held.add(p.tryAcquire(CHUNK));
        ByteBuffer small = p.tryAcquire(10);
        assertNotNull(small);
        assertEquals(CHUNK, small.capacity());
        assertEquals(2L * CHUNK, p.allocatedBytes());
    }

    @Test
    void withTooLittleBudgetLeftForTheClassWantedASmallerBufferIsAllocated() {
        BufferPool p = pool(CHUNK + 64 * 1024);
        ByteBuffer a = p.tryAcquire(64 * 1024);
        ByteBuffer b = p.tryAcquire(64 * 1024);
        // 192k of budget left: no room for a chunk, but a 128k buffer fits
        ByteBuffer rest = p.tryAcquire(CHUNK);
        assertNotNull(rest);
        assertEquals(128 * 1024, rest.capacity());
        assertEquals(CHUNK, p.allocatedBytes());
        p.release(a);
        p.release(b);
        p.release(rest);
    }

    @Test
    void buffersShrinkAsThePoolFillsSoStalledClientsCannotPinItAll() {
        BufferPool p = pool(16L * CHUNK);
        List<ByteBuffer> held = new ArrayList<>();
        while (p.inUseBytes() * 2 <= 16L * CHUNK) {
            ByteBuffer b = p.tryAcquire(CHUNK);
            assertEquals(CHUNK, b.capacity());
            held.add(b);
        }
        // past half the budget: no more chunk-sized buffers
        ByteBuffer pressured = p.tryAcquire(CHUNK);
        assertEquals(BufferPool.PRESSURE_BUFFER, pressured.capacity());
        held.add(pressured);
        while (p.inUseBytes() * 4 <= 16L * CHUNK * 3) {
            held.add(p.tryAcquire(CHUNK));
        }
        assertEquals(BufferPool.MIN_BUFFER, p.tryAcquire(CHUNK).capacity());
        // many more clients fit than chunk-sized buffers would have allowed
        int more = 0;
        while (p.tryAcquire(CHUNK) != null) {
            more++;
        }
        assertTrue(more > 10, "only " + more + " more buffers");
        assertTrue(p.allocatedBytes() <= 16L * CHUNK);
    }

    @Test
    void waitersAreServedInArrivalOrderAndLaterComersQueueBehindThem() {
        BufferPool p = pool(CHUNK);
        ByteBuffer only = p.acquireOrWait(CHUNK, null);
        assertNotNull(only);
        List<String> served = new ArrayList<>();
        Waiter first = new Waiter("first", served);
        Waiter second = new Waiter("second", served);
        assertNull(p.acquireOrWait(CHUNK, first));
        assertNull(p.acquireOrWait(CHUNK, second));
        assertEquals(2, p.waiting());

        p.release(only);
        // the hand-over is deferred to the dispatcher, never run inside release()
        assertTrue(served.isEmpty());
        runDeferred();
        assertEquals(List.of("first"), served);
        // a newcomer does not overtake the one still waiting
        assertNull(p.acquireOrWait(16, new Waiter("third", served)));
        p.release(first.buffer);
        runDeferred();
        assertEquals(List.of("first", "second"), served);
    }

    @Test
    void aWaiterThatGaveUpIsSkippedAndItsBufferGoesToTheNext() {
        BufferPool p = pool(CHUNK);
        ByteBuffer only = p.tryAcquire(CHUNK);
        List<String> served = new ArrayList<>();
        Waiter gone = new Waiter("gone", served);
        Waiter next = new Waiter("next", served);
        p.acquireOrWait(CHUNK, gone);
        p.acquireOrWait(CHUNK, next);
        gone.waiting = false;
        p.release(only);
        runDeferred();
        assertEquals(List.of("next"), served);
        assertEquals(1, p.inUseCount());
    }

    @Test
    void aWaiterThatGivesUpAfterTheHandOverWasScheduledReturnsTheBuffer() {
        BufferPool p = pool(CHUNK);
        ByteBuffer only = p.tryAcquire(CHUNK);
        List<String> served = new ArrayList<>();
        Waiter w = new Waiter("w", served);
        p.acquireOrWait(CHUNK, w);
        p.release(only);
        w.waiting = false;
        runDeferred();
        assertTrue(served.isEmpty());
        assertEquals(0, p.inUseCount());
    }

    @Test
    void rejectsForeignBuffersAndImpossibleSettings() {
        BufferPool p = pool(CHUNK);
        assertThrows(IllegalArgumentException.class, () -> p.release(ByteBuffer.allocateDirect(1000)));
        assertThrows(IllegalArgumentException.class, () -> new BufferPool(1024, CHUNK, r -> { }));
        assertThrows(IllegalArgumentException.class, () -> new BufferPool(CHUNK, CHUNK - 1, r -> { }));
    }

    private static final class Waiter implements BufferPool.Waiter {
        final String name;
        final List<String> served;
        boolean waiting = true;
        ByteBuffer buffer;

        Waiter(String name, List<String> served) {
            this.name = name;
            this.served = served;
        }

        @Override
        public void bufferAvailable(ByteBuffer b) {
            waiting = false;
            buffer = b;
            served.add(name);
        }

        @Override
        public boolean stillWaiting() {
            return waiting;
        }
    }
}
