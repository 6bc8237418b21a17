package amped.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The dispatcher's timers (header, idle, send-stall) and the connection limit, with short settings. */
@Timeout(90)
class TimeoutsAndLimitsIT {

    @TempDir
    Path root;
    TestServer server;

    @RegisterExtension
    final AmpedServerExtension servers = new AmpedServerExtension();
    byte[] small;
    String bigSha;

    @BeforeEach
    void files() throws IOException {
        small = TestFiles.bytes(5, 2000);
        Files.write(root.resolve("small.bin"), small);
        bigSha = TestFiles.write(root.resolve("big.bin"), 24L * 1024 * 1024, 6);
    }

    private void start(Duration header, Duration idle, Duration send) throws IOException {
        server = servers.start(root, b -> b.headerTimeout(header).idleTimeout(idle).sendTimeout(send));
    }

    /** Waits (bounded) for the server to close the socket; fails if it sends anything or stays open. */
    private static long millisUntilClosed(Socket s) throws IOException {
        long start = System.nanoTime();
        s.setSoTimeout(15_000);
        int b = s.getInputStream().read();
        assertEquals(-1, b, "expected a close, got data");
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void aClientThatNeverCompletesItsHeadIsClosedAfterTheHeaderTimeoutEvenWhileTrickling() throws Exception {
        start(Duration.ofMillis(800), Duration.ofSeconds(30), Duration.ofSeconds(30));
        try (Socket silent = new Socket(InetAddress.getLoopbackAddress(), server.port());
             Socket trickler = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            silent.getOutputStream().write("GET /small.bin HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] partial = "GET /small.bin HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
            trickler.getOutputStream().write(partial);
            // a byte now and then does not buy more time: the deadline runs from the request's first byte
            long start = System.nanoTime();
            trickler.setSoTimeout(100);
            boolean closed = false;
            while (!closed && System.nanoTime() - start < 10_000_000_000L) {
                try {
                    trickler.getOutputStream().write('a');
                    closed = trickler.getInputStream().read() == -1;
                } catch (java.net.SocketTimeoutException stillOpen) {
                    // keep trickling
                } catch (IOException reset) {
                    closed = true;
                }
            }
            assertTrue(closed, "the trickling client was never closed");
            assertTrue(System.nanoTime() - start < 5_000_000_000L);
            assertTrue(millisUntilClosed(silent) < 5_000);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().timeouts() >= 2);
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeoutAndABusyOneIsNot() throws Exception {
        start(Duration.ofSeconds(5), Duration.ofMillis(700), Duration.ofSeconds(30));
        try (RawHttp idle = new RawHttp(server.port()); RawHttp busy = new RawHttp(server.port())) {
            idle.send("GET /small.bin HTTP/1.1\r\nHost: x\r\n\r\n");
            assertArrayEquals(small, idle.read().body());
            long start = System.nanoTime();
            // the busy one keeps asking within the idle timeout and stays open throughout
            while (System.nanoTime() - start < 1_500_000_000L) {
                busy.send("GET /small.bin HTTP/1.1\r\nHost: x\r\n\r\n");
                assertArrayEquals(small, busy.read().body());
            }
            assertTrue(idle.closedByServer());
            busy.send("GET /small.bin HTTP/1.1\r\nHost: x\r\n\r\n");
            assertArrayEquals(small, busy.read().body());
        }
    }

    @Test
    void aClientThatStopsReadingIsClosedAfterTheSendTimeoutAndItsBufferReturns() throws Exception {
        start(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMillis(800));
        try (Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(16 * 1024);
            stalled.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
            stalled.getOutputStream().write("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().transfers().size() == 1);
            // sent from the cache's mapping: a client that does not read holds no pooled buffer
            assertEquals(0, server.stats().buffersInUse());
            // now it reads nothing: the server's send makes no progress and must give up
            await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().openConnections() == 0);
            server.awaitNothingHeld();
            assertTrue(server.stats().timeouts() >= 1);
        }
    }

    @Test
    void aSlowButSteadyClientMayTakeFarLongerThanTheSendTimeout() throws Exception {
        start(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMillis(500));
        try (Socket slow = new Socket()) {
            slow.setReceiveBufferSize(32 * 1024);
            slow.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
            slow.setSoTimeout(10_000);
            slow.getOutputStream().write("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = slow.getInputStream();
            java.security.MessageDigest sha = TestFiles.sha256();
            RawHttp.skipHead(in);
            byte[] chunk = new byte[1024 * 1024];
            long total = 0;
            long start = System.nanoTime();
            while (total < 24L * 1024 * 1024) {
                int n = in.read(chunk, 0, (int) Math.min(chunk.length, 24L * 1024 * 1024 - total));
                assertTrue(n > 0, "connection closed early at " + total);
                sha.update(chunk, 0, n);
                total += n;
                // pace the reading at 8 MiB/s, so the whole takes several send timeouts; wait only when
                // ahead of that pace (a slow, not a stalled, client: the kernel's buffers drain steadily)
                long due = start + total * 1_000_000_000L / (8L * 1024 * 1024);
                if (System.nanoTime() < due) {
                    await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2)).atMost(Duration.ofSeconds(5))
                            .until(() -> System.nanoTime() >= due);
                }
            }
            assertTrue(System.nanoTime() - start > 1_500_000_000L, "the download should have outlasted the send timeout");
            assertEquals(bigSha, java.util.HexFormat.of().formatHex(sha.digest()));
        }
    }

    @Test
    void atTheConnectionLimitNewcomersWaitUntilASlotFrees() throws Exception {
        server = servers.start(root, b -> b.maxConnections(4));
        List<RawHttp> held = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                RawHttp c = new RawHttp(server.port());
                c.send("GET /small.bin HTTP/1.1\r\nHost: x\r\n\r\n");
                assertArrayEquals(small, c.read().body());
                held.add(c);
            }
            try (RawHttp waiting = new RawHttp(server.port())) {
                // the kernel queues it; amped does not accept (and so cannot drop) it yet
                waiting.socket.setSoTimeout(700);
                waiting.send("GET /small.bin HTTP/1.1\r\nHost: x\r\n\r\n");
                assertFalse(waiting.closedByServer(), "a newcomer beyond the limit must wait, not be dropped");
                assertEquals(4, server.stats().accepted());
                held.remove(0).close();
                waiting.socket.setSoTimeout(10_000);
                assertArrayEquals(small, waiting.read().body());
                assertEquals(5, server.stats().accepted());
            }
        } finally {
            for (RawHttp c : held) {
                c.close();
            }
        }
    }
}
