package amped.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What download accelerators do: fetch one file as parallel ranges and put the pieces back together. */
@Timeout(120)
class SegmentedDownloadIT {

    private static final int SIZE = 20 * 1024 * 1024;

    @TempDir
    static Path root;
    static String sha;
    TestServer server;

    @BeforeAll
    static void writeFile() throws Exception {
        sha = TestFiles.write(root.resolve("twenty.bin"), SIZE, 20);
    }

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(root);
    }

    @AfterEach
    void stop() {
        server.awaitNothingHeld();
        server.close();
    }

    /** Downloads the ranges [bounds[i], bounds[i+1]) in parallel and returns the SHA-256 of them joined. */
    private String download(long[] bounds) throws Exception {
        List<CompletableFuture<HttpResponse<byte[]>>> parts = new ArrayList<>();
        for (int i = 0; i + 1 < bounds.length; i++) {
            String range = "bytes=" + bounds[i] + "-" + (bounds[i + 1] - 1);
            parts.add(server.http.sendAsync(HttpRequest.newBuilder(server.uri("/twenty.bin")).header("Range", range).build(),
                    HttpResponse.BodyHandlers.ofByteArray()));
        }
        java.security.MessageDigest digest = TestFiles.sha256();
        for (int i = 0; i < parts.size(); i++) {
            HttpResponse<byte[]> r = parts.get(i).get(90, TimeUnit.SECONDS);
            assertEquals(206, r.statusCode(), "segment " + i);
            assertEquals("bytes " + bounds[i] + "-" + (bounds[i + 1] - 1) + "/" + SIZE,
                    r.headers().firstValue("Content-Range").orElseThrow(), "segment " + i);
            assertEquals(bounds[i + 1] - bounds[i], r.body().length, "segment " + i);
            digest.update(r.body());
        }
        return java.util.HexFormat.of().formatHex(digest.digest());
    }

    @Test
    void eightEqualSegments() throws Exception {
        long[] bounds = new long[9];
        for (int i = 0; i <= 8; i++) {
            bounds[i] = (long) SIZE * i / 8;
        }
        assertEquals(sha, download(bounds));
    }

    @Test
    void sixteenUnevenSegments() throws Exception {
        SplittableRandom random = new SplittableRandom(16);
        java.util.TreeSet<Long> cuts = new java.util.TreeSet<>();
        cuts.add(1L); // a one-byte first segment
        cuts.add((long) SIZE - 1); // and a one-byte last one
        while (cuts.size() < 15) {
            cuts.add(random.nextLong(2, SIZE - 1));
        }
        long[] bounds = new long[17];
        bounds[0] = 0;
        int i = 1;
        for (long cut : cuts) {
            bounds[i++] = cut;
        }
        bounds[16] = SIZE;
        assertEquals(sha, download(bounds));
    }
}
