package amped.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Validators and conditional requests (RFC 9110 §8.8, §13): ETag, Last-Modified, If-* and 304/412. */
@Timeout(60)
class ConditionalRequestsIT {

    /** IMF-fixdate (RFC 9110 §5.6.7), written independently of the server's formatter. */
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    @TempDir
    Path root;
    Path doc;
    byte[] content;
    /** The file's modification time: a whole second, well in the past, so the date is a strong validator. */
    Instant modified;
    TestServer server;

    @RegisterExtension
    final AmpedServerExtension servers = new AmpedServerExtension();

    @BeforeEach
    void start() throws Exception {
        content = TestFiles.bytes(5, 5000);
        doc = root.resolve("doc.bin");
        Files.write(doc, content);
        modified = Instant.now().minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        Files.setLastModifiedTime(doc, FileTime.from(modified));
        Files.writeString(root.resolve("hello.txt"), "hello, world\n");
        server = servers.start(root);
    }

    private HttpResponse<byte[]> get(TestServer s, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(s.uri("/doc.bin"));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return s.http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> get(String... headers) throws Exception {
        return get(server, headers);
    }

    private String etag() throws Exception {
        return get().headers().firstValue("ETag").orElseThrow();
    }

    private static void assertWhole(HttpResponse<byte[]> r, byte[] expected) {
        assertEquals(200, r.statusCode());
        assertArrayEquals(expected, r.body());
    }

    @Test
    void aStrongEtagAndLastModifiedComeWithTheFile() throws Exception {
        HttpResponse<byte[]> r = get();
        assertWhole(r, content);
        String etag = r.headers().firstValue("ETag").orElseThrow();
        assertTrue(etag.matches("\"[\\x21\\x23-\\x7e]*\""), "a strong entity-tag: " + etag);
        assertEquals(IMF_FIXDATE.format(modified), r.headers().firstValue("Last-Modified").orElseThrow());
    }

    @Test
    void ifNoneMatchWithTheCurrentTagIs304WithValidatorsAndNoBody() throws Exception {
        HttpResponse<byte[]> full = get();
        String etag = full.headers().firstValue("ETag").orElseThrow();
        String lastModified = full.headers().firstValue("Last-Modified").orElseThrow();
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("GET /doc.bin HTTP/1.1\r\nHost: x\r\nIf-None-Match: " + etag + "\r\n\r\n");
            RawHttp.Response r = c.read();
            assertEquals(304, r.status());
            // §15.4.5: the fields a 200 would carry that matter to caches: Date, ETag (and Vary, Cache-Control)
            assertEquals(etag, r.header("ETag"));
            assertEquals(lastModified, r.header("Last-Modified"));
            assertNotNull(r.header("Date"));
            // §8.6: a 304 MAY carry Content-Length, but only with the length a 200 would have had
            String length = r.header("Content-Length");
            assertTrue(length == null || length.equals(Integer.toString(content.length)), "Content-Length " + length);
            // a body after the 304 would garble the next response
            c.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response next = c.read();
            assertEquals(200, next.status());
            assertEquals("hello, world\n", next.bodyText());
        }
    }

    @Test
    void ifNoneMatchUsesWeakComparisonAndListsAndStar() throws Exception {
        String etag = etag();
        String opaque = etag.substring(1, etag.length() - 1);
        assertEquals(304, get("If-None-Match", "W/\"" + opaque + "\"").statusCode(), "weak form of the same tag");
        assertEquals(304, get("If-None-Match", "*").statusCode(), "*");
        assertEquals(304, get("If-None-Match", "\"nope\", " + etag + ", W/\"other\"").statusCode(), "list");
        assertWhole(get("If-None-Match", "\"nope\""), content);
        assertWhole(get("If-None-Match", "\"nope\", W/\"other\""), content);
    }

    @Test
    void ifModifiedSince() throws Exception {
        String lastModified = get().headers().firstValue("Last-Modified").orElseThrow();
        HttpResponse<byte[]> same = get("If-Modified-Since", lastModified);
        assertEquals(304, same.statusCode());
        assertEquals(0, same.body().length);
        assertEquals(304, get("If-Modified-Since", IMF_FIXDATE.format(modified.plusSeconds(3600))).statusCode());
        assertWhole(get("If-Modified-Since", IMF_FIXDATE.format(modified.minusSeconds(1))), content);
        // §13.2.2: If-Modified-Since is only evaluated when If-None-Match is absent
        assertWhole(get("If-None-Match", "\"nope\"", "If-Modified-Since", lastModified), content);
        // an invalid date is ignored
        assertWhole(get("If-Modified-Since", "yesterday"), content);
    }

    @Test
    void ifMatchAndIfUnmodifiedSinceGuardWithA412() throws Exception {
        String etag = etag();
        HttpResponse<byte[]> mismatch = get("If-Match", "\"nope\"");
        assertEquals(412, mismatch.statusCode());
        assertEquals("412 Precondition Failed\n", new String(mismatch.body(), StandardCharsets.UTF_8));
        assertWhole(get("If-Match", "*"), content);
        assertWhole(get("If-Match", etag), content);
        String opaque = etag.substring(1, etag.length() - 1);
        // If-Match uses the strong comparison: a weak tag never matches
        assertEquals(412, get("If-Match", "W/\"" + opaque + "\"").statusCode());

        assertEquals(412, get("If-Unmodified-Since", IMF_FIXDATE.format(modified.minusSeconds(60))).statusCode());
        assertWhole(get("If-Unmodified-Since", IMF_FIXDATE.format(modified)), content);
        assertWhole(get("If-Unmodified-Since", IMF_FIXDATE.format(modified.plusSeconds(60))), content);
    }

    @Test
    void ifRangeNeedsAStrongValidatorThatStillMatches() throws Exception {
        HttpResponse<byte[]> full = get();
        String etag = full.headers().firstValue("ETag").orElseThrow();
        String lastModified = full.headers().firstValue("Last-Modified").orElseThrow();
        byte[] first10 = Arrays.copyOf(content, 10);

        HttpResponse<byte[]> current = get("Range", "bytes=0-9", "If-Range", etag);
        assertEquals(206, current.statusCode());
        assertArrayEquals(first10, current.body());
        assertEquals("bytes 0-9/" + content.length, current.headers().firstValue("Content-Range").orElseThrow());

        assertWhole(get("Range", "bytes=0-9", "If-Range", "\"stale\""), content);
        String opaque = etag.substring(1, etag.length() - 1);
        assertWhole(get("Range", "bytes=0-9", "If-Range", "W/\"" + opaque + "\""), content);

        HttpResponse<byte[]> byDate = get("Range", "bytes=0-9", "If-Range", lastModified);
        assertEquals(206, byDate.statusCode());
        assertArrayEquals(first10, byDate.body());
        assertWhole(get("Range", "bytes=0-9", "If-Range", IMF_FIXDATE.format(modified.minusSeconds(1))), content);
        assertWhole(get("Range", "bytes=0-9", "If-Range", IMF_FIXDATE.format(modified.plusSeconds(1))), content);
    }

    /**
     * §8.8.2.1: "An origin server with a clock MUST NOT generate a Last-Modified date that is later than the
     * server's time of message origination (Date)"; a file time in the future MUST be replaced by the Date.
     */
    @Test
    void aModificationTimeInTheFutureIsNeverSentAsLastModified() throws Exception {
        Files.setLastModifiedTime(doc, FileTime.from(Instant.now().plus(1, ChronoUnit.HOURS)));
        HttpResponse<byte[]> r = get();
        assertWhole(r, content);
        long date = amped.protocol.syntax.HttpDate.parse(r.headers().firstValue("Date").orElseThrow());
        long lastModified = amped.protocol.syntax.HttpDate.parse(r.headers().firstValue("Last-Modified").orElseThrow());
        assertTrue(lastModified <= date, "Last-Modified " + r.headers().firstValue("Last-Modified").get()
                + " is after Date " + r.headers().firstValue("Date").get());
    }

    /**
     * §13.1.5: a date in If-Range is only used if it is a strong validator, and §8.8.2.2 makes a Last-Modified
     * strong only when it is at least a second before the Date: a file time in the future never is. The
     * representation may still change within that second, so a partial response must not be sent.
     */
    @Test
    void ifRangeWithADateThatIsNotAStrongValidatorGetsTheWholeFile() throws Exception {
        Instant future = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        Files.setLastModifiedTime(doc, FileTime.from(future));
        String lastModified = get().headers().firstValue("Last-Modified").orElseThrow();
        assertWhole(get("Range", "bytes=0-9", "If-Range", lastModified), content);
        assertWhole(get("Range", "bytes=0-9", "If-Range", IMF_FIXDATE.format(future)), content);
    }

    @Test
    void theEtagFollowsTheFileAndSurvivesARestart() throws Exception {
        String before = etag();
        assertEquals(before, etag(), "stable between requests");

        // a second server on the same root (as after a restart) gives the same tag
        try (TestServer again = TestServer.start(root)) {
            assertEquals(before, get(again).headers().firstValue("ETag").orElseThrow());
            again.awaitNothingHeld();
        }

        // the file cache revalidates at most once a second: the change shows within about that
        Files.setLastModifiedTime(doc, FileTime.from(modified.plusSeconds(10)));
        await().atMost(Duration.ofSeconds(5)).until(() -> !etag().equals(before));
        String touched = etag();
        assertNotEquals(before, touched, "a new modification time");
        assertWhole(get("If-None-Match", before), content);

        byte[] changed = TestFiles.bytes(6, 5001);
        Files.write(doc, changed);
        Files.setLastModifiedTime(doc, FileTime.from(modified.plusSeconds(10)));
        await().atMost(Duration.ofSeconds(5)).until(() -> !etag().equals(touched));
        HttpResponse<byte[]> r = get("If-None-Match", touched);
        assertWhole(r, changed);
        assertNotEquals(touched, r.headers().firstValue("ETag").orElseThrow(), "new content, same time");
    }

    @Test
    void cacheControlIsSentOn200And206And304() throws Exception {
        try (TestServer cached = TestServer.start(root, b -> b.cacheControl("public, max-age=60"))) {
            HttpResponse<byte[]> ok = get(cached);
            assertEquals(200, ok.statusCode());
            assertEquals("public, max-age=60", ok.headers().firstValue("Cache-Control").orElse(null));
            String etag = ok.headers().firstValue("ETag").orElseThrow();

            HttpResponse<byte[]> partial = get(cached, "Range", "bytes=1-2");
            assertEquals(206, partial.statusCode());
            assertEquals("public, max-age=60", partial.headers().firstValue("Cache-Control").orElse(null));

            HttpResponse<byte[]> notModified = get(cached, "If-None-Match", etag);
            assertEquals(304, notModified.statusCode());
            assertEquals("public, max-age=60", notModified.headers().firstValue("Cache-Control").orElse(null));
            assertEquals(etag, notModified.headers().firstValue("ETag").orElse(null));
            cached.awaitNothingHeld();
        }
        // and without the option, none
        assertTrue(get().headers().firstValue("Cache-Control").isEmpty());
    }
}
