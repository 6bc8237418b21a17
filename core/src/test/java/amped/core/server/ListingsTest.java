package amped.core.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shared listings through real connections over scripted sockets: builds are held at a known entry (the
 * build hook) so that who joins, who leaves and what is counted is certain, not timed.
 */
@Timeout(60)
class ListingsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final Pattern CONTENT_LENGTH = Pattern.compile("Content-Length: (\\d+)\r\n");
    private static final Pattern ROW = Pattern.compile("<td class=\"n\"><a href=\"f-\\d{4}\\.txt\">");

    @TempDir
    Path root;
    private LoopHarness harness;
    private Listings listings;
    /** The build hook: counts the entries taken, and holds each build until {@link #go} opens. */
    private final AtomicInteger entriesTaken = new AtomicInteger();
    private final CountDownLatch go = new CountDownLatch(1);

    @BeforeEach
    void tree() throws IOException {
        directory("big", 2_500);
        directory("other", 10);
        directory("small", 3);
    }

    private void directory(String name, int files) throws IOException {
        Path dir = Files.createDirectory(root.resolve(name));
        for (int i = 0; i < files; i++) {
            Files.createFile(dir.resolve(String.format("f-%04d.txt", i)));
        }
    }

    @AfterEach
    void stop() {
        go.countDown();
        if (harness != null) {
            harness.close();
        }
    }

    private void start(UnaryOperator<ServerConfig.Builder> options, boolean holdBuilds) throws IOException {
        harness = new LoopHarness(root, options);
        listings = harness.loop.disk.listings();
        listings.beforeEachEntry = () -> {
            entriesTaken.incrementAndGet();
            if (holdBuilds) {
                try {
                    go.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    private ScriptedTransport request(String target) {
        ScriptedTransport t = harness.connect();
        harness.onLoop(() -> t.deliver("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n"));
        return t;
    }

    /** The whole response, the client reading everything the connection writes. */
    private String response(ScriptedTransport t) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(2)).until(() -> harness.onLoop(() -> {
            if (t.writePending()) {
                t.completeWrite(Integer.MAX_VALUE);
            }
            String text = new String(t.written(), StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            if (end < 0) {
                return false;
            }
            Matcher length = CONTENT_LENGTH.matcher(text.substring(0, end + 2));
            return length.find() && t.written().length >= end + 4 + Integer.parseInt(length.group(1));
        }));
        return new String(harness.onLoop(t::written), StandardCharsets.UTF_8);
    }

    private ServerStats counters() {
        ServerStats.Builder b = new ServerStats.Builder();
        listings.addTo(b);
        return b.build();
    }

    private static int rows(String response) {
        return (int) ROW.matcher(response).results().count();
    }

    private static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    @Test
    void requestsArrivingWhileADirectoryIsBuiltJoinThatBuildAndShareItsPages() throws IOException {
        start(b -> b, true);
        ScriptedTransport first = request("/big/");
        await().atMost(PATIENCE).until(() -> entriesTaken.get() == 1);
        List<ScriptedTransport> joined = new ArrayList<>();
        String[] targets = {"/big/", "/big/?page=2", "/big/?page=3", "/big/?page=4"};
        for (int i = 0; i < 19; i++) {
            joined.add(request(targets[i % targets.length]));
        }
        // every one of them waits for the build under way, none holds a disk helper meanwhile
        await().atMost(PATIENCE).until(() -> listings.waiting() == 19);
        go.countDown();

        String page1 = response(first);
        assertTrue(page1.startsWith("HTTP/1.1 200 OK\r\n"), page1);
        assertEquals(1000, rows(page1));
        assertTrue(page1.contains("<a rel=\"next\" href=\"?page=2\">"), "links on to page 2");
        for (int i = 0; i < joined.size(); i++) {
            String r = response(joined.get(i));
            switch (i % targets.length) {
                case 0 -> assertEquals(body(page1), body(r));
                case 1 -> assertEquals(1000, rows(r));
                case 2 -> assertEquals(500, rows(r), "the last page holds the rest");
                default -> assertTrue(r.startsWith("HTTP/1.1 404 Not Found\r\n"), "there is no page 4: " + r);
            }
        }
        assertEquals(1, counters().listingBuilds(), "one build for twenty requests");
        assertEquals(2_500, entriesTaken.get(), "each entry read once");
    }

    @Test
    void aBuildThatEveryRequesterLeftStopsAtTheNextEntry() throws IOException {
        start(b -> b, true);
        ScriptedTransport leaving = request("/big/");
        await().atMost(PATIENCE).until(() -> entriesTaken.get() == 1 && harness.onLoop(leaving::readPending));
        harness.onLoop(leaving::endOfInput);
        await().atMost(PATIENCE).until(() -> harness.onLoop(leaving::closed));
        go.countDown();

        await().atMost(PATIENCE).until(() -> counters().listingBuildsAbandoned() == 1);
        assertEquals(1, entriesTaken.get(), "not one entry more of 2,500");
        assertEquals(0, counters().listingBytes(), "what it had counted is given back");
        assertEquals(0, harness.onLoop(leaving::written).length, "nothing was sent to nobody");
    }

    @Test
    void aRequesterThatLeftWhileItsLookupWasQueuedStartsNoBuild() throws IOException {
        start(b -> b, true);
        // the harness has two disk helpers: both are held by builds
        ScriptedTransport a = request("/big/");
        ScriptedTransport b = request("/other/");
        await().atMost(PATIENCE).until(() -> entriesTaken.get() == 2);
        ScriptedTransport queued = request("/small/");
        await().atMost(PATIENCE).until(() -> harness.onLoop(queued::readPending));
        harness.onLoop(queued::endOfInput);
        await().atMost(PATIENCE).until(() -> harness.onLoop(queued::closed));
        go.countDown();

        assertTrue(response(a).startsWith("HTTP/1.1 200 OK\r\n"));
        assertTrue(response(b).startsWith("HTTP/1.1 200 OK\r\n"));
        await().atMost(PATIENCE).until(() -> counters().listingBuildsAbandoned() == 1);
        assertEquals(2, counters().listingBuilds(), "/small/ was never built");
        assertEquals(2_510, entriesTaken.get());
    }

    @Test
    void aListingThatWouldNotFitItsMemoryIs503WithRetryAfterAndSmallerOnesStillAre200() throws IOException {
        long budget = 100 * 1024;
        start(b -> b.listingMemory(budget), false);
        String refused = response(request("/big/"));
        assertTrue(refused.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), refused);
        assertTrue(refused.contains("\r\nRetry-After: 1\r\n"), refused);
        assertTrue(entriesTaken.get() < 2_500, "the build stopped when the budget was reached");
        assertEquals(1, counters().listingRefusals());
        assertEquals(0, counters().listingBytes());

        String small = response(request("/small/"));
        assertTrue(small.startsWith("HTTP/1.1 200 OK\r\n"), small);
        assertEquals(3, rows(small));
        long counted = counters().listingBytes();
        assertTrue(counted > 0 && counted <= budget, "counted " + counted);
    }

    @Test
    void clientsThatDoNotReadShareOnePageEachAndTheCountedMemoryStaysWithinTheBudget() throws IOException {
        long budget = 2L * 1024 * 1024;
        start(b -> b.listingMemory(budget), false);
        List<ScriptedTransport> idle = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            idle.add(request("/big/?page=" + (i + 1)));
        }
        // none of them reads: each response is held, unsent, with the page it sends from
        await().atMost(PATIENCE).until(() -> harness.onLoop(() -> idle.stream().allMatch(ScriptedTransport::writePending)));
        long threePages = counters().listingBytes();
        for (int i = 0; i < 60; i++) {
            idle.add(request("/big/?page=" + (i % 3 + 1)));
        }
        await().atMost(PATIENCE).until(() -> harness.onLoop(() -> idle.stream().allMatch(ScriptedTransport::writePending)));
        ServerStats s = counters();
        assertEquals(1, s.listingBuilds());
        assertEquals(threePages, s.listingBytes(), "sixty more readers of the same pages cost nothing more");
        assertTrue(s.listingBytes() <= budget, "counted " + s.listingBytes());
        // 2,500 entries and three pages of 1,000 rows: about 450 KB of entries and 200 KB a page
        assertTrue(s.listingBytes() > 2_500 * Listings.ENTRY_OVERHEAD, "counted " + s.listingBytes());
        System.out.printf("listing memory counted for 2,500 entries and 3 pages, 63 readers: %,d bytes%n",
                s.listingBytes());
    }
}
