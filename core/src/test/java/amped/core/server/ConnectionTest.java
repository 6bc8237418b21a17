package amped.core.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A connection driven by scripted socket completions: no socket, every completion an event. */
class ConnectionTest {

    @TempDir
    Path root;
    private LoopHarness harness;
    private byte[] small;
    private byte[] big;

    @BeforeEach
    void files() throws IOException {
        small = "hello, amped\n".getBytes(StandardCharsets.US_ASCII);
        Files.write(root.resolve("hello.txt"), small);
        big = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
    }

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    private LoopHarness harness(java.util.function.UnaryOperator<ServerConfig.Builder> options) throws IOException {
        harness = new LoopHarness(root, options);
        return harness;
    }

    /** Completes writes of at most {@code max} bytes each until {@code expectedBytes} are out. */
    private void drainWrites(ScriptedTransport t, int max, int expectedBytes) {
        await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).until(() -> harness.onLoop(() -> {
            if (t.writePending()) {
                t.completeWrite(max);
            }
            return t.written().length >= expectedBytes;
        }));
    }

    /** The client reads everything the connection writes until {@code done}. */
    private void readAllUntil(ScriptedTransport t, java.util.function.Predicate<ScriptedTransport> done) {
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.onLoop(() -> {
            if (t.writePending()) {
                t.completeWrite(Integer.MAX_VALUE);
            }
            return done.test(t);
        }));
    }

    private static int headEnd(byte[] response) {
        String text = new String(response, StandardCharsets.ISO_8859_1);
        return text.indexOf("\r\n\r\n") + 4;
    }

    @Test
    void answersAGetAndWaitsForTheNextRequest() throws IOException {
        harness(b -> b);
        ScriptedTransport t = harness.connect();
        harness.onLoop(() -> t.deliver("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n"));
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.onLoop(t::writePending));
        harness.onLoop(() -> t.completeWrite(Integer.MAX_VALUE));
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.onLoop(t::readPending));
        byte[] response = harness.onLoop(t::written);
        String head = new String(response, 0, headEnd(response), StandardCharsets.ISO_8859_1);
        assertTrue(head.startsWith("HTTP/1.1 200 OK\r\n"), head);
        assertTrue(head.contains("Content-Length: " + small.length + "\r\n"), head);
        assertArrayEquals(small, Arrays.copyOfRange(response, headEnd(response), response.length));
        assertFalse(harness.onLoop(t::closed));
        assertEquals(0, harness.buffersInUse());
    }

    @Test
    void anIdleKeepAliveConnectionWaitsWithASmallReadAndHoldsNoParser() throws IOException {
        harness(b -> b);
        ScriptedTransport[] clients = new ScriptedTransport[20];
        for (int i = 0; i < clients.length; i++) {
            ScriptedTransport t = harness.connect();
            clients[i] = t;
            assertEquals(Connection.IDLE_READ_BUFFER, harness.onLoop(t::pendingReadCapacity));
            harness.onLoop(() -> t.deliver("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n"));
            readAllUntil(t, ScriptedTransport::readPending);
            assertTrue(harness.onLoop(t::writtenText).startsWith("HTTP/1.1 200 OK\r\n"));
        }
        // all twenty are idle, waiting for their next request: none holds a parser or response head
        assertEquals(0, (int) harness.onLoop(harness.loop.workspaces::lent));
        for (ScriptedTransport t : clients) {
            assertEquals(Connection.IDLE_READ_BUFFER, harness.onLoop(t::pendingReadCapacity));
        }
    }

    @Test
    void aHeadLargerThanTheIdleReadIsReadOnInLargerPiecesAndTheConnectionWaitsWithALargerIdleReadAfter() throws IOException {
        harness(b -> b);
        ScriptedTransport t = harness.connect();
        String head = "GET /hello.txt HTTP/1.1\r\nHost: x\r\nX-Filler: " + "f".repeat(3000) + "\r\n\r\n";
        assertTrue(head.length() > Connection.READ_BUFFER / 2);
        int sent = harness.onLoop(() -> t.deliver(head));
        assertEquals(Connection.IDLE_READ_BUFFER, sent);
        await().atMost(Duration.ofSeconds(5)).until(() -> harness.onLoop(t::readPending));
        assertEquals(Connection.READ_BUFFER, harness.onLoop(t::pendingReadCapacity));
        harness.onLoop(() -> t.deliver(head.substring(sent)));
        readAllUntil(t, ScriptedTransport::readPending);
        byte[] response = harness.onLoop(t::written);
        assertTrue(new String(response, StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 200 OK\r\n"));
        assertArrayEquals(small, Arrays.copyOfRange(response, headEnd(response), response.length));
        // this client's heads are large: it now waits with twice the first idle read, and one such head
        // fits in it
        assertEquals(2 * Connection.IDLE_READ_BUFFER, harness.onLoop(t::pendingReadCapacity));
        assertEquals(0, (int) harness.onLoop(harness.loop.workspaces::lent));
        String browserLike = "GET /hello.txt HTTP/1.1\r\nHost: x\r\nX-Filler: " + "b".repeat(700) + "\r\n\r\n";
        assertEquals(browserLike.length(), (int) harness.onLoop(() -> t.deliver(browserLike)));
        readAllUntil(t, c -> c.readPending() && c.writtenText().split("HTTP/1.1 200 OK", -1).length == 3);
        assertEquals(2 * Connection.IDLE_READ_BUFFER, harness.onLoop(t::pendingReadCapacity));
    }

    @Test
    void aLargeFileReadFromDiskSurvivesWritesOfSevenBytesAtATimeAtTheStartAndLargeOnesAfter() throws IOException {
        harness(b -> b.cacheSize(0).chunkSize(64 * 1024));
        ScriptedTransport t = harness.connect();
        harness.onLoop(() -> t.deliver("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n"));
        drainWrites(t, 7, 700);
        byte[] sofar = harness.onLoop(t::written);
        drainWrites(t, 100_000, headEnd(sofar) + big.length);
        byte[] response = harness.onLoop(t::written);
        assertArrayEquals(big, Arrays.copyOfRange(response, headEnd(response), response.length));
        await().atMost(Duration.ofSeconds(5)).until(() -> harness.buffersInUse() == 0 && harness.openFiles() == 0);
    }

    @Test
    void aRequestSentWhileTheLastIsStillLookedUpIsAnsweredAfterIt() throws IOException {
        // a directory's lookup goes to a disk helper (a listing build), and a read watches meanwhile
        harness(b -> b.cacheSize(0));
        ScriptedTransport t = harness.connect();
        harness.onLoop(() -> t.deliver("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.onLoop(t::readPending));
        harness.onLoop(() -> t.deliver("GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
        readAllUntil(t, ScriptedTransport::outputShut);
        String all = harness.onLoop(t::writtenText);
        assertTrue(all.startsWith("HTTP/1.1 200 OK\r\n"), all);
        assertTrue(all.indexOf("HTTP/1.1 404 Not Found\r\n") > all.indexOf("hello.txt"), all);
    }

    @Test
    void aConnectionIdleAfterALookupOnDiskClosesAtOnceWhenTheServerDrains() throws IOException {
        harness(b -> b.cacheSize(0));
        ScriptedTransport t = harness.connect();
        harness.onLoop(() -> t.deliver("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n"));
        readAllUntil(t, c -> c.writtenText().endsWith("hello, amped\n"));
        harness.onLoop(() -> {
            harness.loop.drain();
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.onLoop(t::closed));
    }

    @Test
    void aClientThatClosesItsSideWhileItsResponseIsSentStillGetsAllOfIt() throws IOException {
        harness(b -> b.cacheSize(0));
        ScriptedTransport t = harness.connect();
        harness.onLoop(() -> t.deliver("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.onLoop(() -> t.writePending() && t.readPending()));
        harness.onLoop(t::endOfInput); // the read that watched for it leaving sees the end of its input
        readAllUntil(t, c -> c.writtenText().contains("</html>"));
        byte[] response = harness.onLoop(t::written);
        String head = new String(response, 0, headEnd(response), StandardCharsets.ISO_8859_1);
        int at = head.indexOf("Content-Length: ") + 16;
        assertEquals(Integer.parseInt(head.substring(at, head.indexOf("\r\n", at))), response.length - headEnd(response));
        assertTrue(new String(response, StandardCharsets.UTF_8).contains("hello.txt"));
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws IOException {
        harness(b -> b);
        ScriptedTransport t = harness.connect();
        harness.onLoop(() -> t.deliver("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n"
                + "HEAD /hello.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
        readAllUntil(t, ScriptedTransport::outputShut);
        String all = harness.onLoop(t::writtenText);
        int first = all.indexOf("HTTP/1.1 200 OK");
        int second = all.indexOf("HTTP/1.1 200 OK", first + 1);
        int third = all.indexOf("HTTP/1.1 404 Not Found");
        assertTrue(first == 0 && second > first && third > second, all);
        assertEquals(3, all.split("HTTP/1.1 ", -1).length - 1, all);
    }

    @Test
    void aClientThatResetsMidResponseLeavesNoBufferNoFileAndCountsAnAbort() throws IOException {
        harness(b -> b.cacheSize(0));
        ScriptedTransport t = harness.connect();
        harness.onLoop(() -> t.deliver("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n"));
        drainWrites(t, 100_000, 300_000);
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.onLoop(t::writePending));
        harness.onLoop(() -> t.failWrite(new IOException("Connection reset by peer")));
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.onLoop(t::closed));
        await().atMost(Duration.ofSeconds(5)).until(() -> harness.buffersInUse() == 0 && harness.openFiles() == 0);
        assertEquals(1, harness.onLoop(() -> harness.loop.stats.aborted));
    }

    @Test
    void closingWhileAWriteIsInFlightReleasesTheBufferOnlyWhenTheWriteReports() throws IOException {
        harness(b -> b.cacheSize(0).sendTimeout(Duration.ofMillis(300)));
        ScriptedTransport t = harness.connect();
        harness.onLoop(() -> t.deliver("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n"));
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.onLoop(t::writePending));
        // the client never reads: the send-stall timeout closes the connection, and the socket's close fails the write
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.onLoop(t::closed));
        await().atMost(Duration.ofSeconds(5)).until(() -> harness.buffersInUse() == 0 && harness.openFiles() == 0);
        assertEquals(1, harness.onLoop(() -> harness.loop.stats.timeouts));
    }

    @Test
    void aRequestHeadNotCompleteInTimeClosesTheConnection() throws IOException {
        harness(b -> b.headerTimeout(Duration.ofMillis(200)));
        ScriptedTransport t = harness.connect();
        harness.onLoop(() -> t.deliver("GET /hello.txt HTTP/1.1\r\nHo"));
        await().atMost(Duration.ofSeconds(5)).until(() -> harness.onLoop(t::closed));
        assertEquals(0, harness.onLoop(t::written).length);
        assertEquals(1, harness.onLoop(() -> harness.loop.stats.timeouts));
    }

    @Test
    void aMalformedRequestGetsItsErrorThenTheOutputIsShutAndTheConnectionLingers() throws IOException {
        harness(b -> b);
        ScriptedTransport t = harness.connect();
        harness.onLoop(() -> t.deliver("GET /a b c HTTP/1.1\r\nHost: x\r\n\r\n"));
        readAllUntil(t, ScriptedTransport::outputShut);
        String response = harness.onLoop(t::writtenText);
        assertTrue(response.startsWith("HTTP/1.1 400 Bad Request\r\n"), response);
        assertTrue(response.contains("Connection: close\r\n"), response);
        assertFalse(harness.onLoop(t::closed), "lingering: reading what the client still sends");
        await().atMost(Duration.ofSeconds(5)).until(() -> harness.onLoop(t::readPending));
        harness.onLoop(t::endOfInput);
        await().atMost(Duration.ofSeconds(5)).until(() -> harness.onLoop(t::closed));
        assertEquals(1, harness.onLoop(() -> harness.loop.stats.malformed));
    }

    @Test
    void aDrainingLoopClosesAnIdleConnectionAndLetsABusyOneFinish() throws IOException {
        harness(b -> b.cacheSize(0));
        ScriptedTransport idle = harness.connect();
        ScriptedTransport busy = harness.connect();
        harness.onLoop(() -> busy.deliver("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n"));
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.onLoop(busy::writePending));
        var drained = harness.loop.drain();
        await().atMost(Duration.ofSeconds(5)).until(() -> harness.onLoop(idle::closed));
        assertFalse(harness.onLoop(busy::closed));
        drainWrites(busy, Integer.MAX_VALUE, big.length);
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.onLoop(() -> {
            if (busy.writePending()) {
                busy.completeWrite(Integer.MAX_VALUE);
            }
            return busy.outputShut();
        }));
        byte[] response = harness.onLoop(busy::written);
        assertArrayEquals(big, Arrays.copyOfRange(response, headEnd(response), response.length));
        harness.onLoop(busy::endOfInput);
        drained.orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).join();
    }
}
