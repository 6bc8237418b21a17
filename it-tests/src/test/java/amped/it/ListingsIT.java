package amped.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amped.core.server.ServerStats;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, listings: a directory of 100,000 entries asked for by many clients at once, some of whom never
 * read. It is built once and shared, a page holds at most 1,000 entries, and the memory counted for
 * listings never exceeds its budget; what would not fit is answered 503 with Retry-After.
 */
@Timeout(180)
class ListingsIT {

    private static final int ENTRIES = 100_000;
    private static final Pattern ROW = Pattern.compile("<a href=\"n-\\d{6}\\.txt\">");

    @TempDir
    static Path temp;
    static Path root;

    @RegisterExtension
    final AmpedServerExtension servers = new AmpedServerExtension();

    @BeforeAll
    static void createTree() throws IOException {
        root = Files.createDirectory(temp.resolve("www"));
        Files.writeString(root.resolve("small.txt"), "small\n");
        Path huge = Files.createDirectory(root.resolve("huge"));
        for (int i = 0; i < ENTRIES; i++) {
            Files.createFile(huge.resolve(String.format("n-%06d.txt", i)));
        }
    }

    private static int rows(String html) {
        return (int) ROW.matcher(html).results().count();
    }

    @Test
    void twentyConcurrentRequestsCauseOneBuildAndEachGetsABoundedPage() throws Exception {
        TestServer server = servers.start(root, b -> b.dispatchers(2).statusPath("/-/status"));
        List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
        int[] pages = {1, 2, 50, 100};
        for (int i = 0; i < 20; i++) {
            pending.add(server.http.sendAsync(HttpRequest.newBuilder(server.uri("/huge/?page=" + pages[i % 4]))
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> p : pending) {
            HttpResponse<String> r = p.get(90, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode());
            assertEquals(1_000, rows(r.body()), "a page of 1,000 entries");
            assertTrue(r.body().length() < 200_000, "a page is " + r.body().length() + " bytes");
        }
        String metrics = server.http.send(HttpRequest.newBuilder(server.uri("/-/status/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("\namped_listing_builds_total 1\n"), metrics);
        assertTrue(metrics.contains("\namped_listing_refusals_total 0\n"), metrics);
    }

    @Test
    void eightyClientsThatNeverReadKeepTheCountedMemoryWithinTheBudgetAndOthersAreServed() throws Exception {
        TestServer server = servers.start(root, b -> { });
        long budget = server.server.config().listingMemory;
        long answeredBefore = server.server.stats().responsesByClass()[2];
        List<Socket> idle = new ArrayList<>();
        AtomicLong most = new AtomicLong();
        try {
            for (int i = 0; i < 80; i++) {
                Socket s = new Socket();
                s.setReceiveBufferSize(4096); // a client that never reads: what the kernel takes for it is small
                s.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
                s.getOutputStream().write(("GET /huge/?page=" + (i % 100 + 1) + " HTTP/1.1\r\nHost: x\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                idle.add(s);
            }
            // every request is answered (its response sent, or stuck sending to a client that does not read)
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20)).until(() -> {
                ServerStats s = server.server.stats();
                most.accumulateAndGet(s.listingBytes(), Math::max);
                return s.responsesByClass()[2] - answeredBefore + s.transfers().size() >= 80;
            });
            ServerStats s = server.server.stats();
            most.accumulateAndGet(s.listingBytes(), Math::max);
            assertEquals(1, s.listingBuilds());
            assertEquals(0, s.listingRefusals());
            assertTrue(most.get() <= budget, "counted at most " + most.get() + " of " + budget);
            System.out.printf("100,000 entries, 80 clients that never read on 80 pages: listing memory counted"
                    + " at most %,d bytes of a %,d budget%n", most.get(), budget);
            long t0 = System.nanoTime();
            HttpResponse<String> small = server.http.send(HttpRequest.newBuilder(server.uri("/small.txt"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("small\n", small.body());
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(2), "others are served meanwhile");
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
    }

    @Test
    void aDirectoryThatDoesNotFitTheListingMemoryIs503WithRetryAfter() throws Exception {
        TestServer server = servers.start(root, b -> b.listingMemory(4L * 1024 * 1024));
        HttpResponse<String> r = server.http.send(HttpRequest.newBuilder(server.uri("/huge/"))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(503, r.statusCode());
        assertEquals("1", r.headers().firstValue("Retry-After").orElseThrow());
        HttpResponse<String> top = server.http.send(HttpRequest.newBuilder(server.uri("/"))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, top.statusCode());
        assertTrue(top.body().contains("href=\"huge/\""), top.body());
        ServerStats s = server.server.stats();
        assertEquals(1, s.listingRefusals());
        assertTrue(s.listingBytes() <= 4L * 1024 * 1024);
    }
}
