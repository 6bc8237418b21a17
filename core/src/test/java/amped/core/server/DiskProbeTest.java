package amped.core.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class DiskProbeTest {

    private final ExecutorService helpers = Executors.newFixedThreadPool(2);
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        helpers.shutdownNow();
    }

    private void wedgeEveryHelper() throws InterruptedException {
        CountDownLatch stuck = new CountDownLatch(2);
        for (int i = 0; i < 2; i++) {
            helpers.execute(() -> {
                stuck.countDown();
                try {
                    // bounded, so that a failed test leaves no thread behind for long
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        assertTrue(stuck.await(5, TimeUnit.SECONDS));
    }

    @Test
    void answeringHelpersPass() throws Exception {
        DiskProbe probe = new DiskProbe(helpers, Duration.ofSeconds(2));
        for (int i = 0; i < 3; i++) {
            probe.check().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void wedgedHelpersFailWithinTheBoundWithOneProbeQueuedAndPassOnceFree() throws Exception {
        DiskProbe probe = new DiskProbe(helpers, Duration.ofMillis(300));
        wedgeEveryHelper();
        long start = System.nanoTime();
        ExecutionException e = assertThrows(ExecutionException.class, () -> probe.check().get(5, TimeUnit.SECONDS));
        assertInstanceOf(TimeoutException.class, e.getCause());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3), "answered within about the bound");
        // the probe in flight is now older than the bound: the answer is immediate, and no job is added
        for (int i = 0; i < 5; i++) {
            assertTrue(probe.check().isCompletedExceptionally());
        }
        assertEquals(1, ((ThreadPoolExecutor) helpers).getQueue().size(), "one probe queued, not one per check");
        release.countDown();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> probe.check().handle((ok, failure) -> failure == null).get(5, TimeUnit.SECONDS));
    }

    @Test
    void aShutDownPoolFails() {
        DiskProbe probe = new DiskProbe(helpers, Duration.ofSeconds(2));
        helpers.shutdown();
        ExecutionException e = assertThrows(ExecutionException.class, () -> probe.check().get(5, TimeUnit.SECONDS));
        assertInstanceOf(RejectedExecutionException.class, e.getCause());
    }
}
