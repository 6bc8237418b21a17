package amped.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Byte ranges (RFC 9110 §14): single, suffix, unsatisfiable, ignored, coalesced, multipart, HEAD, beyond 4 GiB. */
@Timeout(60)
class RangeRequestsIT {

    private static final int LEN = 1 << 20;

    @TempDir
    static Path root;
    static byte[] data;
    TestServer server;

    @RegisterExtension
    final AmpedServerExtension servers = new AmpedServerExtension();

    @BeforeAll
    static void writeFiles() throws Exception {
        data = TestFiles.bytes(42, LEN);
        Files.write(root.resolve("data.bin"), data);
        Files.writeString(root.resolve("hello.txt"), "hello, world\n");
    }

    @BeforeEach
    void start() throws Exception {
        server = servers.start(root);
    }

    private HttpResponse<byte[]> get(String range) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri("/data.bin"));
        if (range != null) {
            b.header("Range", range);
        }
        return server.http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** expected first/last inclusive for a 206; -1 -1 for a 200 with the whole file. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "bytes=0-0             | 206 | 0       | 0",
        "bytes=0-99            | 206 | 0       | 99",
        "bytes=100-            | 206 | 100     | 1048575",
        "bytes=-100            | 206 | 1048476 | 1048575",
        "bytes=-2000000        | 206 | 0       | 1048575",
        "bytes=1048575-        | 206 | 1048575 | 1048575",
        "bytes=1048000-9999999 | 206 | 1048000 | 1048575",
        "bytes=5-4             | 200 | -1      | -1",
        "items=0-1             | 200 | -1      | -1",
        "bytes=0-1,1-2         | 206 | 0       | 2",
        "bytes=10-19,20-29     | 206 | 10      | 29",
        "bytes=20-29,10-19     | 206 | 10      | 29",
        "BYTES=0-9             | 206 | 0       | 9",
        "bytes=abc             | 200 | -1      | -1",
    })
    void aRangeHeaderSelectsExactlyTheBytesAsked(String range, int status, long first, long last) throws Exception {
        HttpResponse<byte[]> r = get(range);
        assertEquals(status, r.statusCode(), range);
        assertEquals("bytes", r.headers().firstValue("Accept-Ranges").orElse(null), "Accept-Ranges");
        assertEquals("application/octet-stream", r.headers().firstValue("Content-Type").orElseThrow());
        if (status == 200) {
            assertArrayEquals(data, r.body());
            assertEquals(Integer.toString(LEN), r.headers().firstValue("Content-Length").orElseThrow());
            assertTrue(r.headers().firstValue("Content-Range").isEmpty(), "no Content-Range on a 200");
        } else {
            assertEquals("bytes " + first + "-" + last + "/" + LEN, r.headers().firstValue("Content-Range").orElseThrow());
            assertEquals(Long.toString(last - first + 1), r.headers().firstValue("Content-Length").orElseThrow());
            assertArrayEquals(Arrays.copyOfRange(data, (int) first, (int) last + 1), r.body());
        }
    }

    @Test
    void aWholeResponseAdvertisesByteRanges() throws Exception {
        HttpResponse<byte[]> r = get(null);
        assertEquals(200, r.statusCode());
        assertEquals("bytes", r.headers().firstValue("Accept-Ranges").orElseThrow());
        assertArrayEquals(data, r.body());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"bytes=1048576-", "bytes=2000000-3000000", "bytes=1048576-1048576,5000000-"})
    void aRangeStartingAtOrPastTheEndIs416WithTheCompleteLength(String range) throws Exception {
        HttpResponse<byte[]> r = get(range);
        assertEquals(416, r.statusCode());
        assertEquals("bytes */" + LEN, r.headers().firstValue("Content-Range").orElseThrow());
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertEquals("416 Range Not Satisfiable\n", body);
        assertEquals(Integer.toString(r.body().length), r.headers().firstValue("Content-Length").orElseThrow());
    }

    @Test
    void severalRangesComeAsMultipartByterangesThatParseBackToTheExactBytes() throws Exception {
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("GET /data.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=0-9,100-199,-10\r\n\r\n");
            RawHttp.Response r = c.read();
            assertEquals(206, r.status());
            assertNull(r.header("Content-Range"), "a multipart 206 has no top-level Content-Range");
            assertEquals("bytes", r.header("Accept-Ranges"));
            String boundary = boundaryOf(r.header("Content-Type"));
            assertEquals(Integer.toString(r.body().length), r.header("Content-Length"));
            List<Part> parts = Multipart.parse(r.body(), boundary);
            assertEquals(3, parts.size(), "parts");
            long[][] expected = {{0, 9}, {100, 199}, {LEN - 10, LEN - 1}};
            for (int i = 0; i < 3; i++) {
                Part p = parts.get(i);
                assertEquals("application/octet-stream", p.headers().get("content-type"), "part " + i);
                assertEquals("bytes " + expected[i][0] + "-" + expected[i][1] + "/" + LEN, p.headers().get("content-range"));
                assertArrayEquals(Arrays.copyOfRange(data, (int) expected[i][0], (int) expected[i][1] + 1), p.body(), "part " + i);
            }
            // the framing was exact: the next response on the connection is intact
            c.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("hello, world\n", c.read().bodyText());
        }
    }

    @Test
    void sixteenRangesAreHonouredButSeventeenAreIgnored() throws Exception {
        StringBuilder sixteen = new StringBuilder("bytes=");
        for (int i = 0; i < 16; i++) {
            sixteen.append(i == 0 ? "" : ",").append(i * 10).append('-').append(i * 10 + 4);
        }
        HttpResponse<byte[]> ok = get(sixteen.toString());
        assertEquals(206, ok.statusCode());
        List<Part> parts = Multipart.parse(ok.body(), boundaryOf(ok.headers().firstValue("Content-Type").orElseThrow()));
        assertEquals(16, parts.size());
        for (int i = 0; i < 16; i++) {
            assertArrayEquals(Arrays.copyOfRange(data, i * 10, i * 10 + 5), parts.get(i).body());
        }

        HttpResponse<byte[]> whole = get(sixteen + ",500-504");
        assertEquals(200, whole.statusCode());
        assertArrayEquals(data, whole.body());
    }

    @Test
    void rangesThatAskForMoreThanTheFileGetTheWholeFileOnce() throws Exception {
        HttpResponse<byte[]> r = get("bytes=0-,0-,0-,0-,0-,0-,0-,0-");
        assertEquals(200, r.statusCode());
        assertArrayEquals(data, r.body());
        HttpResponse<byte[]> overlapping = get("bytes=0-700000,300000-1048575");
        assertEquals(200, overlapping.statusCode());
        assertArrayEquals(data, overlapping.body());
    }

    @Test
    void headWithRangeHasTheHeadersOfGetAndNoBody() throws Exception {
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("HEAD /data.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=100-199\r\n\r\n");
            RawHttp.Response head = c.read(true);
            c.send("GET /data.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=100-199\r\n\r\n");
            RawHttp.Response get = c.read();
            assertEquals(206, head.status());
            assertEquals(206, get.status());
            assertArrayEquals(Arrays.copyOfRange(data, 100, 200), get.body());
            assertEquals(withoutDate(get.headers()), withoutDate(head.headers()));

            c.send("HEAD /data.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=0-9,100-199,-10\r\n\r\n");
            RawHttp.Response multiHead = c.read(true);
            assertEquals(206, multiHead.status());
            assertTrue(multiHead.header("Content-Type").startsWith("multipart/byteranges; boundary="));
            assertNotNull(multiHead.header("Content-Length"));

            c.send("HEAD /data.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=2000000-\r\n\r\n");
            RawHttp.Response unsatisfiable = c.read(true);
            assertEquals(416, unsatisfiable.status());
            assertEquals("bytes */" + LEN, unsatisfiable.header("Content-Range"));

            // any body sent after a HEAD response would show up here as garbage instead of a status line
            c.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response next = c.read();
            assertEquals(200, next.status());
            assertEquals("hello, world\n", next.bodyText());
        }
    }

    @Test
    @Timeout(120)
    void rangesBeyondFourGiBInASparseFile(@TempDir Path bigRoot) throws Exception {
        long four = 4L * 1024 * 1024 * 1024;
        long size = four + 1000;
        byte[] atFour = "ABCDEFGH".getBytes(StandardCharsets.US_ASCII);
        byte[] atEnd = "the-end!".getBytes(StandardCharsets.US_ASCII);
        try (RandomAccessFile f = new RandomAccessFile(bigRoot.resolve("sparse.bin").toFile(), "rw")) {
            f.setLength(size);
            f.seek(four);
            f.write(atFour);
            f.seek(size - atEnd.length);
            f.write(atEnd);
        }
        try (TestServer big = TestServer.start(bigRoot)) {
            HttpResponse<byte[]> last = big.http.send(HttpRequest.newBuilder(big.uri("/sparse.bin"))
                    .header("Range", "bytes=-1").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(206, last.statusCode());
            assertArrayEquals(new byte[] {'!'}, last.body());
            assertEquals("bytes " + (size - 1) + "-" + (size - 1) + "/" + size,
                    last.headers().firstValue("Content-Range").orElseThrow());

            HttpResponse<byte[]> mid = big.http.send(HttpRequest.newBuilder(big.uri("/sparse.bin"))
                    .header("Range", "bytes=4294967296-4294967303").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(206, mid.statusCode());
            assertArrayEquals(atFour, mid.body());
            assertEquals("bytes 4294967296-4294967303/4294968296", mid.headers().firstValue("Content-Range").orElseThrow());
            assertEquals("8", mid.headers().firstValue("Content-Length").orElseThrow());

            HttpResponse<byte[]> tail = big.http.send(HttpRequest.newBuilder(big.uri("/sparse.bin"))
                    .header("Range", "bytes=4294968288-").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(206, tail.statusCode());
            assertArrayEquals(atEnd, tail.body());

            try (RawHttp c = new RawHttp(big.port())) {
                c.send("HEAD /sparse.bin HTTP/1.1\r\nHost: x\r\n\r\n");
                RawHttp.Response head = c.read(true);
                assertEquals(200, head.status());
                assertEquals("4294968296", head.header("Content-Length"));
                c.send("HEAD /sparse.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=4294968296-\r\n\r\n");
                RawHttp.Response past = c.read(true);
                assertEquals(416, past.status());
                assertEquals("bytes */4294968296", past.header("Content-Range"));
            }
            big.awaitNothingHeld();
        }
    }

    private static Map<String, List<String>> withoutDate(Map<String, List<String>> headers) {
        Map<String, List<String>> copy = new LinkedHashMap<>(headers);
        copy.remove("date");
        return copy;
    }

    static String boundaryOf(String contentType) {
        Matcher m = Pattern.compile("^multipart/byteranges;\\s*boundary=(\"?)([^\";]+)\\1\\s*$").matcher(contentType);
        assertTrue(m.matches(), "multipart Content-Type: " + contentType);
        return m.group(2);
    }

    /** One body part: its header fields (names lower-cased) and its bytes. */
    record Part(Map<String, String> headers, byte[] body) {
    }

    /** A small strict parser of a multipart body (RFC 2046 §5.1.1) for checking what the server framed. */
    static final class Multipart {

        static List<Part> parse(byte[] body, String boundary) {
            byte[] dash = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
            byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
            // the first delimiter may start the body or follow a preamble ending in CRLF
            int pos = startsWith(body, 0, dash) ? 0 : indexOf(body, delimiter, 0) + 2;
            assertTrue(pos >= 0 && startsWith(body, pos, dash), "no first delimiter");
            List<Part> parts = new ArrayList<>();
            while (true) {
                pos += dash.length;
                if (startsWith(body, pos, "--".getBytes(StandardCharsets.US_ASCII))) {
                    // close delimiter: only an optional CRLF (epilogue) may follow
                    String epilogue = new String(body, pos + 2, body.length - pos - 2, StandardCharsets.ISO_8859_1);
                    assertTrue(epilogue.isEmpty() || epilogue.equals("\r\n"), "epilogue: " + epilogue);
                    return parts;
                }
                assertTrue(startsWith(body, pos, "\r\n".getBytes(StandardCharsets.US_ASCII)), "CRLF after delimiter");
                pos += 2;
                Map<String, String> headers = new LinkedHashMap<>();
                while (true) {
                    int eol = indexOf(body, "\r\n".getBytes(StandardCharsets.US_ASCII), pos);
                    assertTrue(eol >= 0, "unterminated part header");
                    String line = new String(body, pos, eol - pos, StandardCharsets.ISO_8859_1);
                    pos = eol + 2;
                    if (line.isEmpty()) {
                        break;
                    }
                    int colon = line.indexOf(':');
                    assertTrue(colon > 0, "part header line: " + line);
                    headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
                }
                int end = indexOf(body, delimiter, pos);
                assertTrue(end >= 0, "part not followed by a delimiter");
                parts.add(new Part(headers, Arrays.copyOfRange(body, pos, end)));
                pos = end + 2;
            }
        }

        private static boolean startsWith(byte[] b, int at, byte[] prefix) {
            if (at < 0 || at + prefix.length > b.length) {
                return false;
            }
            for (int i = 0; i < prefix.length; i++) {
                if (b[at + i] != prefix[i]) {
                    return false;
                }
            }
            return true;
        }

        private static int indexOf(byte[] b, byte[] needle, int from) {
            for (int i = Math.max(from, 0); i + needle.length <= b.length; i++) {
                if (startsWith(b, i, needle)) {
                    return i;
                }
            }
            return -1;
        }
    }
}
