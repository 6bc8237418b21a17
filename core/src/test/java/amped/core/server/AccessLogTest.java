package amped.core.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.FileInputStream;
import java.io.InputStream;
import java.net.http.HttpClient;
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
import org.junit.jupiter.api.io.TempDir;

/** The access log has a writer of its own: what the disk helpers are doing never costs it a line. */
@Timeout(60)
class AccessLogTest {

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private List<CompletableFuture<HttpResponse<Void>>> burst(AmpedServer server, String path, int n) {
        List<CompletableFuture<HttpResponse<Void>>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // OPTIONS needs no disk helper, so the burst is served while every helper is wedged
            all.add(http.sendAsync(HttpRequest.newBuilder(server.uri().resolve(path))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding()));
        }
        return all;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Opening a pipe and reading it block until the other end acts: done on a thread of their own. */
    private static <T> CompletableFuture<T> offThread(java.util.concurrent.Callable<T> blocking) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                result.complete(blocking.call());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    @Test
    void aBurstIsLoggedWholeWhileEveryDiskHelperIsWedged() throws Exception {
        Path log = dir.resolve("access.log");
        Path www = Files.createDirectory(dir.resolve("www"));
        CountDownLatch release = new CountDownLatch(1);
        try (AmpedServer server = AmpedServer.builder().root(www).port(0).diskThreads(2)
                .accessLog(log.toString()).shutdownTimeout(Duration.ofSeconds(5)).start()) {
            CountDownLatch wedged = new CountDownLatch(2);
            for (int i = 0; i < 2; i++) {
                server.diskHelpers().execute(() -> {
                    wedged.countDown();
                    awaitQuietly(release);
                });
            }
            assertTrue(wedged.await(5, TimeUnit.SECONDS));
            for (CompletableFuture<HttpResponse<Void>> r : burst(server, "/", 200)) {
                assertEquals(204, r.get(10, TimeUnit.SECONDS).statusCode());
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(log) && Files.readAllLines(log).size() == 200);
            assertEquals(0, server.stats().logDropped());
            assertEquals(200, server.stats().logLines());
        } finally {
            release.countDown();
        }
    }

    @Test
    void whenTheDestinationCannotKeepUpLinesAreDroppedAndCountedAndServingGoesOn() throws Exception {
        Path fifo = dir.resolve("log.fifo");
        // a pipe nobody reads: a destination that truly cannot keep up, once its 64 KiB are full
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo");
        Path www = Files.createDirectory(dir.resolve("www"));
        CompletableFuture<InputStream> reader = offThread(() -> new FileInputStream(fifo.toFile()));
        AmpedServer server = AmpedServer.builder().root(www).port(0).accessLog(fifo.toString())
                .shutdownTimeout(Duration.ofSeconds(5)).start();
        try (InputStream in = reader.get(10, TimeUnit.SECONDS)) {
            String longTarget = "/x?" + "a".repeat(7000); // lines of 7 KiB fill the bounds in a few hundred requests
            for (int i = 0; i < 300; i++) {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(server.uri().resolve(longTarget))
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
                assertEquals(204, r.statusCode());
            }
            ServerStats s = server.stats();
            assertTrue(s.logDropped() > 100, "dropped " + s.logDropped());
            assertEquals(300, s.logLines() + s.logDropped());
            // the reader catches up at last: every line kept is written, whole, when the server stops
            CompletableFuture<byte[]> rest = offThread(in::readAllBytes);
            server.close();
            String written = new String(rest.get(10, TimeUnit.SECONDS), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(s.logLines(), written.lines().filter(l -> l.contains("\"OPTIONS /x?aaa")).count());
        } finally {
            server.close();
        }
    }
}
