package amped.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 defect 3, second half: when every disk helper is stuck (a hung mount, a device that never
 * answers), uncached files can no longer be served, and {@code /health} says so with a 503, so that a
 * load balancer sends the traffic elsewhere; once they answer again it says 200.
 */
@Timeout(60)
class DiskHealthIT {

    private static final int HELPERS = 2;

    @TempDir
    Path dir;

    @RegisterExtension
    final AmpedServerExtension servers = new AmpedServerExtension();

    private static HttpResponse<String> health(TestServer server) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(server.uri("/-/status/health")).timeout(Duration.ofSeconds(5)).build();
        return server.http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthIs503WhileEveryDiskHelperIsStuckAnd200OnceTheyAnswer() throws Exception {
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < HELPERS; i++) {
            contents.add(TestFiles.bytes(40 + i, 5_000));
            Files.write(dir.resolve("stalled-" + i + ".bin"), contents.get(i));
        }
        FaultyFileSystem fs = new FaultyFileSystem(dir.getFileSystem(), Long.MAX_VALUE);
        TestServer server = servers.start(fs.wrap(dir), b -> b.diskThreads(HELPERS).cacheSize(0).statusPath("/-/status"));
        assertEquals(200, health(server).statusCode());

        CountDownLatch release = new CountDownLatch(1);
        fs.stall = release;
        List<CompletableFuture<HttpResponse<byte[]>>> stuck = new ArrayList<>();
        try {
            // one request per helper, each stuck in the stat of its file
            for (int i = 0; i < HELPERS; i++) {
                stuck.add(server.http.sendAsync(HttpRequest.newBuilder(server.uri("/stalled-" + i + ".bin")).build(),
                        HttpResponse.BodyHandlers.ofByteArray()));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> fs.stalledNow.get() == HELPERS);

            // within the probe's bound (2 s) and a health request's own time
            await().atMost(Duration.ofSeconds(10)).until(() -> health(server).statusCode() == 503);
            HttpResponse<String> unhealthy = health(server);
            assertEquals(503, unhealthy.statusCode());
            assertEquals("disk helpers not answering\n", unhealthy.body());
        } finally {
            release.countDown();
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> health(server).statusCode() == 200);
        for (int i = 0; i < HELPERS; i++) {
            HttpResponse<byte[]> r = stuck.get(i).get(10, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode());
            assertArrayEquals(contents.get(i), r.body());
        }
        assertEquals("ok\n", health(server).body());
    }
}
