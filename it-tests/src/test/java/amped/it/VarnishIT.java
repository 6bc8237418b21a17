package amped.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * amped behind a real cache, Varnish (Debian's {@code varnish}), with its built-in VCL: an expired object
 * is revalidated with the validators amped gave, and amped answers {@code 304}; ranges come out right.
 * Skipped only when varnishd is not installed.
 */
@Timeout(60)
class VarnishIT {

    @TempDir
    Path root;
    @TempDir
    Path work;
    Path log;
    byte[] content;
    TestServer amped;
    ForegroundDaemon varnish;
    URI cache;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .proxy(HttpClient.Builder.NO_PROXY).connectTimeout(Duration.ofSeconds(5)).build();

    @RegisterExtension
    final AmpedServerExtension servers = new AmpedServerExtension();

    @BeforeEach
    void start() throws Exception {
        Path varnishd = Tools.require("varnishd", "varnish");
        content = TestFiles.bytes(61, 200_000);
        Files.write(root.resolve("doc.bin"), content);
        Files.setLastModifiedTime(root.resolve("doc.bin"),
                FileTime.from(Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS)));
        log = work.resolve("access.log");
        amped = servers.start(root, b -> b.accessLog(log.toString()));
        int port = ForegroundDaemon.freePorts(1).get(0);
        // a one-second TTL, no grace (an expired object is fetched again before it is served) and a long
        // keep (the expired object stays, so that fetch is conditional on its validators)
        varnish = ForegroundDaemon.start(List.of(varnishd.toString(), "-F", "-j", "none",
                "-n", Files.createDirectories(work.resolve("varnish")).toString(),
                "-a", "127.0.0.1:" + port, "-b", "127.0.0.1:" + amped.port(), "-s", "malloc,32m",
                "-t", "1", "-p", "default_grace=0", "-p", "default_keep=60"), work.resolve("varnishd.out"));
        cache = URI.create("http://127.0.0.1:" + port + "/doc.bin");
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .untilAsserted(() -> assertEquals(200, get().statusCode(), varnish.output()));
    }

    @AfterEach
    void stop() throws Exception {
        if (varnish != null) {
            varnish.close();
        }
    }

    private HttpResponse<byte[]> get(String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(cache);
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** amped's access-log lines for the document with {@code status}. */
    private long ampedAnswered(int status) throws Exception {
        if (!Files.exists(log)) {
            return 0;
        }
        return Files.readAllLines(log).stream().filter(l -> l.contains("\"GET /doc.bin HTTP/1.1\" " + status + " ")).count();
    }

    @Test
    void anExpiredCopyIsRevalidatedAndAmpedAnswers304() throws Exception {
        HttpResponse<byte[]> first = get();
        String etag = first.headers().firstValue("ETag").orElseThrow();
        await().atMost(Duration.ofSeconds(5)).until(() -> ampedAnswered(200) == 1); // the log is written in batches

        // past the TTL each request is a conditional fetch: amped answers 304, Varnish serves its copy
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            HttpResponse<byte[]> r = get();
            assertEquals(200, r.statusCode());
            assertArrayEquals(content, r.body());
            assertEquals(etag, r.headers().firstValue("ETag").orElseThrow());
            assertTrue(ampedAnswered(304) > 0, "a revalidation answered 304");
        });
        assertEquals(1, ampedAnswered(200), "the body went over once: " + Files.readString(log));

        // a client's own revalidation is answered by the cache
        assertEquals(304, get("If-None-Match", etag).statusCode());

        // a changed file fails the revalidation: the new bytes come through within a TTL
        byte[] changed = Arrays.copyOf(content, content.length + 1);
        Files.write(root.resolve("doc.bin"), changed);
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300))
                .untilAsserted(() -> assertArrayEquals(changed, get().body()));
        await().atMost(Duration.ofSeconds(5)).until(() -> ampedAnswered(200) == 2);
    }

    @Test
    void rangesThroughTheCacheAreTheRightBytes() throws Exception {
        String etag = get().headers().firstValue("ETag").orElseThrow();
        for (String ifRange : List.of("", etag)) {
            HttpResponse<byte[]> r = ifRange.isEmpty() ? get("Range", "bytes=1000-1999")
                    : get("Range", "bytes=150000-", "If-Range", ifRange);
            assertEquals(206, r.statusCode());
            long from = ifRange.isEmpty() ? 1000 : 150_000;
            long to = ifRange.isEmpty() ? 1999 : content.length - 1;
            assertEquals("bytes " + from + "-" + to + "/" + content.length, r.headers().firstValue("Content-Range").orElseThrow());
            assertArrayEquals(Arrays.copyOfRange(content, (int) from, (int) to + 1), r.body());
        }
        // a validator that does not match gets the whole file
        HttpResponse<byte[]> whole = get("Range", "bytes=0-9", "If-Range", "\"not-this-one\"");
        assertEquals(200, whole.statusCode());
        assertArrayEquals(content, whole.body());
    }
}
