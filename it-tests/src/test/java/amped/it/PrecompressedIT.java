package amped.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Precompressed siblings (.br, .gz) chosen by Accept-Encoding (RFC 9110 §12.5.3, §8.4). */
@Timeout(60)
class PrecompressedIT {

    private static final String JS = "text/javascript; charset=utf-8";

    @TempDir
    Path root;
    byte[] identity;
    byte[] gzip;
    byte[] brotli;
    byte[] onlyGzIdentity;
    byte[] onlyGzGzip;
    byte[] staleIdentity;
    TestServer server;

    @RegisterExtension
    final AmpedServerExtension servers = new AmpedServerExtension();

    @BeforeEach
    void start() throws IOException {
        Instant t = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        // the "compressed" files are just different bytes: the server must pick files, not transform them
        identity = "console.log('identity');\n".repeat(40).getBytes(StandardCharsets.UTF_8);
        gzip = TestFiles.bytes(11, 300);
        brotli = TestFiles.bytes(12, 250);
        write("app.js", identity, t);
        write("app.js.gz", gzip, t.plusSeconds(5));
        write("app.js.br", brotli, t); // same time as the original is "not older"

        onlyGzIdentity = "only gzip\n".getBytes(StandardCharsets.UTF_8);
        onlyGzGzip = TestFiles.bytes(13, 90);
        write("only.css", onlyGzIdentity, t);
        write("only.css.gz", onlyGzGzip, t.plusSeconds(1));

        staleIdentity = "fresh original\n".getBytes(StandardCharsets.UTF_8);
        write("stale.js", staleIdentity, t);
        write("stale.js.gz", TestFiles.bytes(14, 70), t.minusSeconds(60));
        write("stale.js.br", TestFiles.bytes(15, 70), t.minusSeconds(60));
        server = servers.start(root);
    }

    private void write(String name, byte[] bytes, Instant modified) throws IOException {
        Path p = root.resolve(name);
        Files.write(p, bytes);
        Files.setLastModifiedTime(p, FileTime.from(modified));
    }

    private HttpResponse<byte[]> get(TestServer s, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(s.uri(path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return s.http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        return get(server, path, headers);
    }

    private static Optional<String> header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name);
    }

    @Test
    void gzipIsServedFromTheGzFileWithItsOwnEtag() throws Exception {
        HttpResponse<byte[]> plain = get("/app.js");
        HttpResponse<byte[]> r = get("/app.js", "Accept-Encoding", "gzip");
        assertEquals(200, r.statusCode());
        assertArrayEquals(gzip, r.body());
        assertEquals("gzip", header(r, "Content-Encoding").orElse(null));
        assertEquals(JS, header(r, "Content-Type").orElse(null));
        assertEquals("Accept-Encoding", header(r, "Vary").orElse(null));
        assertEquals(Integer.toString(gzip.length), header(r, "Content-Length").orElseThrow());
        assertNotEquals(header(plain, "ETag").orElseThrow(), header(r, "ETag").orElseThrow(),
                "different representations have different entity-tags");
    }

    @Test
    void theClientsPreferenceDecides() throws Exception {
        HttpResponse<byte[]> both = get("/app.js", "Accept-Encoding", "br, gzip");
        assertArrayEquals(brotli, both.body());
        assertEquals("br", header(both, "Content-Encoding").orElse(null));
        assertEquals(JS, header(both, "Content-Type").orElse(null));
        assertEquals("Accept-Encoding", header(both, "Vary").orElse(null));

        HttpResponse<byte[]> gzipFirst = get("/app.js", "Accept-Encoding", "gzip;q=1, br;q=0.5");
        assertArrayEquals(gzip, gzipFirst.body());
        assertEquals("gzip", header(gzipFirst, "Content-Encoding").orElse(null));

        HttpResponse<byte[]> none = get("/app.js", "Accept-Encoding", "br;q=0, gzip;q=0");
        assertEquals(200, none.statusCode());
        assertArrayEquals(identity, none.body());
        assertTrue(header(none, "Content-Encoding").isEmpty());
        assertEquals("Accept-Encoding", header(none, "Vary").orElse(null));

        HttpResponse<byte[]> absent = get("/app.js");
        assertArrayEquals(identity, absent.body());
        assertTrue(header(absent, "Content-Encoding").isEmpty());
        assertEquals("Accept-Encoding", header(absent, "Vary").orElse(null));
        assertEquals(JS, header(absent, "Content-Type").orElse(null));

        HttpResponse<byte[]> aliased = get("/app.js", "Accept-Encoding", "x-gzip");
        assertArrayEquals(gzip, aliased.body());
    }

    @Test
    void refusingIdentityWhenOnlyAnotherCodingExistsIs406() throws Exception {
        HttpResponse<byte[]> r = get("/only.css", "Accept-Encoding", "identity;q=0, br");
        assertEquals(406, r.statusCode());
        assertEquals("406 Not Acceptable\n", new String(r.body(), StandardCharsets.UTF_8));
        HttpResponse<byte[]> star = get("/only.css", "Accept-Encoding", "*;q=0, br");
        assertEquals(406, star.statusCode());
        // with gzip acceptable the .gz sibling is there
        HttpResponse<byte[]> ok = get("/only.css", "Accept-Encoding", "identity;q=0, br, gzip");
        assertEquals(200, ok.statusCode());
        assertArrayEquals(onlyGzGzip, ok.body());
    }

    @Test
    void aPrecompressedFileOlderThanTheOriginalIsIgnored() throws Exception {
        HttpResponse<byte[]> r = get("/stale.js", "Accept-Encoding", "br, gzip");
        assertEquals(200, r.statusCode());
        assertArrayEquals(staleIdentity, r.body());
        assertTrue(header(r, "Content-Encoding").isEmpty());
    }

    @Test
    void withPrecompressedOffTheOriginalIsAlwaysServed() throws Exception {
        try (TestServer off = TestServer.start(root, b -> b.precompressed(false))) {
            for (String accept : new String[] {"gzip", "br", "br, gzip", "gzip;q=1, identity;q=0.1"}) {
                HttpResponse<byte[]> r = get(off, "/app.js", "Accept-Encoding", accept);
                assertEquals(200, r.statusCode(), accept);
                assertArrayEquals(identity, r.body(), accept);
                assertTrue(header(r, "Content-Encoding").isEmpty(), accept);
                assertTrue(header(r, "Vary").isEmpty(), accept);
            }
            assertEquals(404, get(off, "/app.js.gz.missing").statusCode());
            off.awaitNothingHeld();
        }
    }

    @Test
    void aRangeOfTheGzipRepresentationAddressesTheGzBytes() throws Exception {
        HttpResponse<byte[]> r = get("/app.js", "Accept-Encoding", "gzip", "Range", "bytes=10-49");
        assertEquals(206, r.statusCode());
        assertArrayEquals(Arrays.copyOfRange(gzip, 10, 50), r.body());
        assertEquals("bytes 10-49/" + gzip.length, header(r, "Content-Range").orElseThrow());
        assertEquals("gzip", header(r, "Content-Encoding").orElse(null));
        assertEquals("Accept-Encoding", header(r, "Vary").orElse(null));

        HttpResponse<byte[]> tail = get("/app.js", "Accept-Encoding", "br", "Range", "bytes=-5");
        assertArrayEquals(Arrays.copyOfRange(brotli, brotli.length - 5, brotli.length), tail.body());
        assertEquals("bytes " + (brotli.length - 5) + "-" + (brotli.length - 1) + "/" + brotli.length,
                header(tail, "Content-Range").orElseThrow());
    }

    @Test
    void notModifiedForTheGzipTagWhenGzipIsNegotiatedCarriesVary() throws Exception {
        String gzipTag = header(get("/app.js", "Accept-Encoding", "gzip"), "ETag").orElseThrow();
        HttpResponse<byte[]> r = get("/app.js", "Accept-Encoding", "gzip", "If-None-Match", gzipTag);
        assertEquals(304, r.statusCode());
        assertEquals(gzipTag, header(r, "ETag").orElse(null));
        assertEquals("Accept-Encoding", header(r, "Vary").orElse(null));
        assertEquals(0, r.body().length);

        // the gzip tag does not validate the identity or brotli representation
        HttpResponse<byte[]> plain = get("/app.js", "If-None-Match", gzipTag);
        assertEquals(200, plain.statusCode());
        assertArrayEquals(identity, plain.body());
        HttpResponse<byte[]> br = get("/app.js", "Accept-Encoding", "br", "If-None-Match", gzipTag);
        assertEquals(200, br.statusCode());
        assertArrayEquals(brotli, br.body());
    }

    @Test
    void headOfTheGzipRepresentationHasItsLength() throws Exception {
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("HEAD /app.js HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n");
            RawHttp.Response head = c.read(true);
            assertEquals(200, head.status());
            assertEquals(Integer.toString(gzip.length), head.header("Content-Length"));
            assertEquals("gzip", head.header("Content-Encoding"));
            c.send("GET /app.js HTTP/1.1\r\nHost: x\r\n\r\n");
            assertArrayEquals(identity, c.read().body());
        }
    }
}
