package amped.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amped.core.server.ServerStats;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Big files and many clients: exact bytes, memory that does not grow with the file. */
@Timeout(180)
class LargeFileIT {

    private static final long HUGE = 256L * 1024 * 1024 + 12_345;
    private static final long TEN_MIB = 10L * 1024 * 1024;

    @TempDir
    static Path root;
    static String hugeSha;
    static String tenSha;
    TestServer server;

    @RegisterExtension
    final AmpedServerExtension servers = new AmpedServerExtension();

    @BeforeAll
    static void writeFiles() throws Exception {
        hugeSha = TestFiles.write(root.resolve("huge.bin"), HUGE, 7);
        tenSha = TestFiles.write(root.resolve("ten.bin"), TEN_MIB, 8);
    }

    @BeforeEach
    void start() throws Exception {
        server = servers.start(root);
    }

    @Test
    void aFileOfOver256MiBArrivesWithTheRightChecksumThroughOneChunkOfMemory() throws Exception {
        HttpResponse<InputStream> r = server.http.send(HttpRequest.newBuilder(server.uri("/huge.bin")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        assertEquals(Long.toString(HUGE), r.headers().firstValue("Content-Length").orElseThrow());
        assertEquals(hugeSha, TestFiles.sha256(r.body()));
        ServerStats stats = server.stats();
        // one connection, one response: one chunk-sized buffer was all it ever took
        assertTrue(stats.bufferBytesAllocated() <= server.server.config().chunkSize,
                "allocated " + stats.bufferBytesAllocated());
        assertTrue(stats.bytesSent() >= HUGE);
    }

    @Test
    void fiftyConcurrentDownloadsOfTenMiBAllArriveIntact() throws Exception {
        for (String sha : Downloads.concurrently(server.http, server.uri("/ten.bin"), 50, Duration.ofSeconds(120))) {
            assertEquals(tenSha, sha);
        }
        ServerStats stats = server.stats();
        assertTrue(stats.bufferBytesAllocated() <= server.server.config().bufferMemory);
        assertEquals(0, Files.size(root.resolve("ten.bin")) - TEN_MIB);
    }
}
