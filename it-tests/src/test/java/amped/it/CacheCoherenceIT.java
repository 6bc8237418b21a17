package amped.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file cache never serves what the disk no longer says for longer than its revalidation allows, and
 * never pairs one file's bytes with another's validators; mappings are made once and let go exactly.
 */
@Timeout(60)
class CacheCoherenceIT {

    @TempDir
    Path root;
    TestServer server;

    @RegisterExtension
    final AmpedServerExtension servers = new AmpedServerExtension();

    private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return server.http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aReplacedLargeFileIsNeverSentUnderTheOldFilesValidators() throws Exception {
        Path f = root.resolve("iso.bin");
        byte[] v1 = TestFiles.bytes(5, 600_000);
        byte[] v2 = TestFiles.bytes(6, 700_000);
        Files.write(f, v1);
        // a 1 MiB cache keeps nothing of a 600 KB file but its metadata: it is opened per response
        server = servers.start(root, b -> b.cacheSize(1024 * 1024));
        String etag1 = get("/iso.bin").headers().firstValue("ETag").orElseThrow();
        Path staged = root.resolve("staged.tmp");
        Files.write(staged, v2);
        Files.move(staged, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        // a download resumed right away, with the validator it had: the file changed, so the whole new one
        HttpResponse<byte[]> resumed = get("/iso.bin", "Range", "bytes=500000-", "If-Range", etag1);
        assertEquals(200, resumed.statusCode());
        assertArrayEquals(v2, resumed.body());
        assertTrue(!resumed.headers().firstValue("ETag").orElseThrow().equals(etag1));
    }

    @Test
    void aDeletedIndexStopsBeingServedWithinTheRevalidationAndStaysGone() throws Exception {
        Path dir = Files.createDirectory(root.resolve("d"));
        Files.writeString(dir.resolve("index.html"), "old index");
        Files.writeString(dir.resolve("other.txt"), "x");
        server = servers.start(root);
        assertEquals("old index", new String(get("/d/").body(), StandardCharsets.UTF_8));
        Files.delete(dir.resolve("index.html"));
        await().atMost(Duration.ofSeconds(5)).until(() -> new String(get("/d/").body(), StandardCharsets.UTF_8).contains("Index of"));
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5))
                .until(() -> new String(get("/d/").body(), StandardCharsets.UTF_8).contains("other.txt"));
    }

    @Test
    void aNewPrecompressedSiblingAddsVaryToThePlainResponseToo() throws Exception {
        Path f = root.resolve("app.js");
        Files.writeString(f, "console.log(1);\n");
        Files.setLastModifiedTime(f, FileTime.from(Instant.now().minusSeconds(100)));
        server = servers.start(root);
        assertTrue(get("/app.js").headers().firstValue("Vary").isEmpty());
        Files.write(root.resolve("app.js.gz"), TestFiles.bytes(4, 50));
        await().atMost(Duration.ofSeconds(5)).until(() ->
                "gzip".equals(get("/app.js", "Accept-Encoding", "gzip").headers().firstValue("Content-Encoding").orElse(null)));
        assertEquals("Accept-Encoding", get("/app.js").headers().firstValue("Vary").orElse(null), "Vary on the plain 200");
    }

    @Test
    void aRevalidatedMappingThatNoLongerFitsTheCacheIsStillServedWhole() throws Exception {
        Path f = root.resolve("big.bin");
        byte[] content = TestFiles.bytes(1, 3 * 1024 * 1024);
        Files.write(f, content);
        Files.setLastModifiedTime(f, FileTime.from(Instant.now().minusSeconds(100)));
        server = servers.start(root, b -> b.cacheSize(8L * 1024 * 1024));
        assertArrayEquals(content, get("/big.bin").body());
        // siblings appear: the three mappings would no longer fit the cache, the identity one is reused
        Files.write(root.resolve("big.bin.gz"), TestFiles.bytes(2, 3 * 1024 * 1024));
        Files.write(root.resolve("big.bin.br"), TestFiles.bytes(3, 3 * 1024 * 1024));
        await().atMost(Duration.ofSeconds(5)).until(() ->
                "Accept-Encoding".equals(get("/big.bin").headers().firstValue("Vary").orElse(null)));
        HttpResponse<byte[]> r = get("/big.bin");
        assertEquals(200, r.statusCode());
        assertArrayEquals(content, r.body());
        assertEquals(0, server.stats().handlerFailures());
    }

    @Test
    void aBurstOfMissesForOneFileMapsItOnce() throws Exception {
        Path file = root.resolve("ten.bin");
        String sha = TestFiles.write(file, 10L * 1024 * 1024, 42);
        server = servers.start(root);
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        AtomicLong peak = new AtomicLong();
        try {
            sampler.scheduleAtFixedRate(() -> {
                try {
                    peak.accumulateAndGet(MappedSendingIT.mappingsOf(file), Math::max);
                } catch (Exception ignored) {
                    // sampled again next time
                }
            }, 0, 5, TimeUnit.MILLISECONDS);
            for (String each : Downloads.concurrently(server.http, server.uri("/ten.bin"), 50, Duration.ofSeconds(30))) {
                assertEquals(sha, each);
            }
        } finally {
            sampler.shutdownNow();
        }
        assertTrue(peak.get() <= 1, "mappings of one file at once: " + peak.get());
    }
}
