package amped.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Compressible files gzipped on the fly for clients that ask, checked with curl --compressed and gzip -t. */
@Timeout(120)
class GzipOnTheFlyIT {

    @TempDir
    Path root;
    @TempDir
    Path work;
    byte[] js;
    byte[] json;
    TestServer server;

    @RegisterExtension
    final AmpedServerExtension servers = new AmpedServerExtension();

    @BeforeEach
    void start() throws IOException {
        js = text("console.log('line', %d);\n", 120_000);
        json = text("{\"id\": %d, \"name\": \"entry\"},\n", 3_000_000); // read by a helper, not in memory
        Files.write(root.resolve("app.js"), js);
        Files.write(root.resolve("data.json"), json);
        Files.write(root.resolve("photo.png"), text("not really a png %d\n", 50_000));
        Files.write(root.resolve("small.txt"), text("tiny %d\n", 900));
        server = servers.start(root);
    }

    private static byte[] text(String line, int bytes) {
        StringBuilder s = new StringBuilder(bytes + 64);
        for (int i = 0; s.length() < bytes; i++) {
            s.append(line.formatted(i));
        }
        return s.substring(0, bytes).getBytes(StandardCharsets.UTF_8);
    }

    private RawHttp.Response get(String path, String... fields) throws IOException {
        return request("GET", path, fields);
    }

    private RawHttp.Response request(String method, String path, String... fields) throws IOException {
        try (RawHttp http = new RawHttp(server.port())) {
            StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: t\r\n");
            for (String field : fields) {
                head.append(field).append("\r\n");
            }
            return http.send(head.append("Connection: close\r\n\r\n").toString()).read(method.equals("HEAD"));
        }
    }

    private static byte[] gunzip(byte[] gzip) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return in.readAllBytes();
        }
    }

    private static void requireTool(String name) {
        boolean found = false;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            found |= !dir.isEmpty() && Files.isExecutable(Path.of(dir, name));
        }
        Assumptions.assumeTrue(found, name + " is not installed (CI installs it)");
    }

    /** Runs a tool without proxies or user configuration; its exit code. */
    private int run(String... command) throws IOException, InterruptedException {
        Path log = Files.createTempFile(work, "tool", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.toLowerCase(java.util.Locale.ROOT).endsWith("_proxy"));
        pb.environment().put("HOME", work.toString());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not finish:\n" + Files.readString(log));
        }
        return p.exitValue();
    }

    @Test
    void curlCompressedGetsExactlyTheFileBack() throws Exception {
        requireTool("curl");
        for (String name : List.of("app.js", "data.json")) {
            Path out = work.resolve(name);
            Path headers = work.resolve(name + ".headers");
            assertEquals(0, run("curl", "-sS", "--fail", "--noproxy", "*", "--compressed", "-D", headers.toString(),
                    "-o", out.toString(), server.uri("/" + name).toString()));
            assertEquals(TestFiles.sha256(Files.readAllBytes(root.resolve(name))), TestFiles.sha256(Files.readAllBytes(out)),
                    name);
            String head = Files.readString(headers).toLowerCase(java.util.Locale.ROOT);
            assertTrue(head.contains("content-encoding: gzip"), head);
            assertTrue(head.contains("vary: accept-encoding"), head);
        }
    }

    @Test
    void theRawBodyIsAValidGzipOfTheFileWithItsOwnLengthAndTag() throws Exception {
        requireTool("gzip");
        for (String name : List.of("app.js", "data.json")) {
            byte[] file = Files.readAllBytes(root.resolve(name));
            RawHttp.Response r = get("/" + name, "Accept-Encoding: gzip, deflate, br;q=0.5");
            assertEquals(200, r.status());
            assertEquals("gzip", r.header("Content-Encoding"));
            assertEquals("Accept-Encoding", r.header("Vary"));
            assertEquals(String.valueOf(r.body().length), r.header("Content-Length"));
            assertTrue(r.body().length < file.length / 3, "compressed: " + r.body().length);
            assertNull(r.header("Accept-Ranges"), "no ranges of a gzip made on the fly");
            assertTrue(r.header("ETag").startsWith("W/\"") && r.header("ETag").endsWith("-gzip\""), r.header("ETag"));
            assertArrayEquals(file, gunzip(r.body()), name);

            Path raw = Files.write(work.resolve(name + ".gz"), r.body());
            assertEquals(0, run("gzip", "-t", raw.toString()), "gzip -t " + name);

            RawHttp.Response plain = get("/" + name);
            assertNotEquals(plain.header("ETag"), r.header("ETag"));
            assertEquals(plain.header("ETag").replace("\"", ""), r.header("ETag").replace("W/", "").replace("\"", "")
                    .replace("-gzip", ""), "the file's tag with -gzip");
        }
    }

    @Test
    void repeatedRequestsAreServedFromTheCache() throws Exception {
        byte[] first = get("/app.js", "Accept-Encoding: gzip").body();
        long misses = server.stats().cacheMisses();
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(first, get("/app.js", "Accept-Encoding: gzip").body());
        }
        assertEquals(misses, server.stats().cacheMisses(), "no lookup, no compression");
        assertEquals(1, server.stats().gzipMade(), "compressed once");
        assertEquals(js.length, server.stats().gzipInputBytes());
        assertEquals(first.length, server.stats().gzipOutputBytes());
        assertEquals(0, server.stats().gzipRefusals());
    }

    @Test
    void itsEtagGives304AndTheFilesDoesNot() throws Exception {
        RawHttp.Response gz = get("/app.js", "Accept-Encoding: gzip");
        String tag = gz.header("ETag");
        RawHttp.Response notModified = get("/app.js", "Accept-Encoding: gzip", "If-None-Match: " + tag);
        assertEquals(304, notModified.status());
        assertEquals(tag, notModified.header("ETag"));
        assertEquals("Accept-Encoding", notModified.header("Vary"));

        String fileTag = get("/app.js").header("ETag");
        assertEquals(200, get("/app.js", "Accept-Encoding: gzip", "If-None-Match: " + fileTag).status());
        RawHttp.Response identity = get("/app.js", "If-None-Match: " + tag);
        assertEquals(200, identity.status());
        assertArrayEquals(js, identity.body());
        assertEquals(412, get("/app.js", "Accept-Encoding: gzip", "If-Match: " + tag).status(),
                "If-Match compares strongly, and the tag is weak");
    }

    @Test
    void aRangeOfTheGzipIsAnsweredWithTheWholeGzip() throws Exception {
        byte[] whole = get("/app.js", "Accept-Encoding: gzip").body();
        for (String range : List.of("Range: bytes=0-99", "Range: bytes=-10", "Range: bytes=0-1,5-9",
                "Range: bytes=99999999-")) {
            RawHttp.Response r = get("/app.js", "Accept-Encoding: gzip", range);
            assertEquals(200, r.status(), range);
            assertNull(r.header("Content-Range"), range);
            assertArrayEquals(whole, r.body(), range);
        }
        // the file itself keeps its ranges
        RawHttp.Response identity = get("/app.js", "Range: bytes=0-99");
        assertEquals(206, identity.status());
        assertEquals("bytes 0-99/" + js.length, identity.header("Content-Range"));
    }

    @Test
    void headGetsTheHeadOfGetWithTheLength() throws Exception {
        // HEAD first: the gzip is made for it too, so that its Content-Length is the one GET sends
        RawHttp.Response head = request("HEAD", "/data.json", "Accept-Encoding: gzip");
        RawHttp.Response get = get("/data.json", "Accept-Encoding: gzip");
        assertEquals(200, head.status());
        for (String field : List.of("Content-Length", "Content-Encoding", "ETag", "Vary", "Content-Type", "Last-Modified")) {
            assertEquals(get.header(field), head.header(field), field);
        }
        assertEquals(String.valueOf(get.body().length), head.header("Content-Length"));
    }

    @Test
    void aClientRefusingGzipOrNotAskingGetsTheFile() throws Exception {
        for (String[] fields : new String[][] {{}, {"Accept-Encoding: gzip;q=0"}, {"Accept-Encoding: identity"},
                {"Accept-Encoding: br"}, {"Accept-Encoding: *;q=0, identity"}, {"Accept-Encoding: gzip;q=0.5, identity"}}) {
            RawHttp.Response r = get("/app.js", fields);
            String what = String.join(",", fields);
            assertEquals(200, r.status(), what);
            assertNull(r.header("Content-Encoding"), what);
            assertArrayEquals(js, r.body(), what);
            assertEquals("Accept-Encoding", r.header("Vary"), what);
            assertEquals("bytes", r.header("Accept-Ranges"), what);
        }
        // the file alone is refused: 406 is not the answer while gzip can be made
        RawHttp.Response onlyGzip = get("/app.js", "Accept-Encoding: gzip, identity;q=0");
        assertEquals("gzip", onlyGzip.header("Content-Encoding"));
    }

    @Test
    void binaryTypesAndSmallFilesAreSentAsTheyAre() throws Exception {
        for (String name : List.of("photo.png", "small.txt")) {
            RawHttp.Response r = get("/" + name, "Accept-Encoding: gzip");
            assertEquals(200, r.status(), name);
            assertNull(r.header("Content-Encoding"), name);
            assertNull(r.header("Vary"), name);
            assertArrayEquals(Files.readAllBytes(root.resolve(name)), r.body(), name);
        }
    }

    @Test
    void filesAboveTheBoundAreSentAsTheyAreWithRanges() throws Exception {
        byte[] big = text("a long log line %d\n", 9 * 1024 * 1024);
        Files.write(root.resolve("big.log"), big);
        RawHttp.Response r = get("/big.log", "Accept-Encoding: gzip");
        assertEquals(200, r.status());
        assertNull(r.header("Content-Encoding"));
        assertEquals(TestFiles.sha256(big), TestFiles.sha256(r.body()));
        assertEquals(206, get("/big.log", "Accept-Encoding: gzip", "Range: bytes=0-9").status());
    }

    @Test
    void aChangedFileIsCompressedAfresh() throws Exception {
        assertArrayEquals(js, gunzip(get("/app.js", "Accept-Encoding: gzip").body()));
        byte[] changed = text("console.warn('changed', %d);\n", 130_000);
        Files.write(root.resolve("app.js"), changed);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertArrayEquals(changed, gunzip(get("/app.js", "Accept-Encoding: gzip").body())));
    }

    @Test
    void noGzipTurnsItOff() throws Exception {
        try (TestServer off = TestServer.start(root, b -> b.gzip(false))) {
            try (RawHttp http = new RawHttp(off.port())) {
                RawHttp.Response r = http.send("GET /app.js HTTP/1.1\r\nHost: t\r\nAccept-Encoding: gzip\r\n"
                        + "Connection: close\r\n\r\n").read();
                assertEquals(200, r.status());
                assertNull(r.header("Content-Encoding"));
                assertNull(r.header("Vary"));
                assertArrayEquals(js, r.body());
            }
            off.awaitNothingHeld();
        }
    }
}
