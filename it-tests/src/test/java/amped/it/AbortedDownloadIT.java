package amped.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
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
}
