package amped.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A client that goes away mid-download costs the server nothing afterwards: no file, no buffer. */
@Timeout(120)
class AbortedDownloadIT {

    @TempDir
    Path root;
    TestServer server;

    @RegisterExtension
    final AmpedServerExtension servers = AmpedServerExtension.withoutHoldCheck();
    Path big;

    @BeforeEach
    void start() throws IOException {
        big = root.resolve("big.bin");
        TestFiles.write(big, 64L * 1024 * 1024, 3);
        server = servers.start(root);
    }

    @Test
    void aClientThatResetsMidDownloadLeavesNoOpenFileOrBuffer() throws Exception {
        for (int i = 0; i < 20; i++) {
            try (RawHttp c = new RawHttp(server.port())) {
                c.send("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n");
                InputStream in = c.input();
                in.readNBytes(100_000 + i * 50_000);
                // the file is open right now, for this download
                if (i == 0) {
                    assertEquals(1, server.stats().openFiles());
                    assertTrue(Descriptors.of(big) >= 1, "the server holds the file open");
                }
                c.socket.setSoLinger(true, 0); // close with a reset, as a killed client does
            }
        }
        server.awaitNothingHeld();
        await().atMost(Duration.ofSeconds(10)).until(() -> Descriptors.of(big) == 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().openConnections() == 0);
        assertTrue(server.stats().aborted() >= 1);
    }

    @Test
    void aClientThatJustClosesMidDownloadLeavesNoOpenFileOrBuffer() throws Exception {
        for (int i = 0; i < 20; i++) {
            try (RawHttp c = new RawHttp(server.port())) {
                c.send("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n");
                c.input().readNBytes(1000 + i * 7919);
            }
        }
        server.awaitNothingHeld();
        await().atMost(Duration.ofSeconds(10)).until(() -> Descriptors.of(big) == 0);
    }

    /**
     * Hundreds of downloads abandoned in turn, half with a reset: every next one is still accepted and
     * served. (A direct sendfile on a socket the JDK also had a read pending on once left the listener's
     * accept disarmed after a few dozen of these: every later client waited for ever.)
     */
    @Test
    void hundredsOfAbandonedDownloadsInARowLeaveTheServerAccepting() throws Exception {
        try (AmpedProcess amped = AmpedProcess.start(AmpedProcess.javaCommand(List.of(), root.toString(), "--port", "0"),
                root.resolveSibling("abandoned.stderr"))) {
            byte[] chunk = new byte[64 * 1024];
            for (int i = 0; i < 400; i++) {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), amped.port)) {
                    s.setSoTimeout(5_000);
                    s.getOutputStream().write("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    InputStream in = s.getInputStream();
                    int want = 100_000 + (i % 20) * 50_000;
                    int got = 0;
                    while (got < want) {
                        int n = in.read(chunk, 0, Math.min(chunk.length, want - got));
                        assertTrue(n > 0, "download " + i + " ended after " + got + " bytes");
                        got += n;
                    }
                    if (i % 2 == 0) {
                        s.setSoLinger(true, 0);
                    }
                }
            }
            assertEquals(0, amped.terminate(20), amped.stderr());
        }
    }
}
