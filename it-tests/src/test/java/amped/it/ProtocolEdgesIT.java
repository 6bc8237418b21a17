package amped.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amped.protocol.MimeTypes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Protocol corners over a raw socket: OPTIONS, unknown methods, Host, absolute-form, bodies on GET, MIME types. */
@Timeout(60)
class ProtocolEdgesIT {

    @TempDir
    Path root;
    byte[] alpha;
    TestServer server;

    @RegisterExtension
    final AmpedServerExtension servers = new AmpedServerExtension();

    @BeforeEach
    void start() throws IOException {
        alpha = TestFiles.bytes(1, 3000);
        Files.write(root.resolve("alpha.bin"), alpha);
        Files.writeString(root.resolve("hello.txt"), "hello, world\n");
        for (String name : new String[] {"m.wasm", "m.mjs", "site.webmanifest", "p.avif", "x.unknownext", "app.log",
                "noextension", "UPPER.WASM"}) {
            Files.writeString(root.resolve(name), name);
        }
        server = servers.start(root, b -> b.mimeTypes(MimeTypes.defaults().withOverride("log", "text/x-log")));
    }

    private RawHttp connect() throws IOException {
        return new RawHttp(server.port());
    }

    @Test
    void optionsAnswers204WithAllow() throws Exception {
        try (RawHttp c = connect()) {
            c.send("OPTIONS /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response r = c.read();
            assertEquals(204, r.status());
            assertEquals("GET, HEAD, OPTIONS", r.header("Allow"));
            assertNull(r.header("Transfer-Encoding"));
            String length = r.header("Content-Length");
            assertTrue(length == null || length.equals("0"), "a 204 has no content: " + length);

            c.send("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response star = c.read();
            assertEquals(204, star.status());
            assertEquals("GET, HEAD, OPTIONS", star.header("Allow"));

            // the connection is still in step
            c.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("hello, world\n", c.read().bodyText());
        }
    }

    @Test
    void anUnknownMethodIs501() throws Exception {
        try (RawHttp c = connect()) {
            c.send("BREW /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response r = c.read();
            assertEquals(501, r.status());
            assertEquals("501 Not Implemented\n", r.bodyText());
        }
    }

    @Test
    void anHttp11RequestWithoutHostIs400() throws Exception {
        try (RawHttp c = connect()) {
            c.send("GET /hello.txt HTTP/1.1\r\n\r\n");
            RawHttp.Response r = c.read();
            assertEquals(400, r.status());
            assertTrue(c.closedByServer());
        }
        try (RawHttp c = connect()) {
            c.send("GET /hello.txt HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
            assertEquals(400, c.read().status());
        }
    }

    @Test
    void anAbsoluteFormTargetIsServed() throws Exception {
        try (RawHttp c = connect()) {
            c.send("GET http://127.0.0.1:" + server.port() + "/alpha.bin HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                    + "\r\n\r\n");
            RawHttp.Response r = c.read();
            assertEquals(200, r.status());
            assertArrayEquals(alpha, r.body());
            c.send("GET http://127.0.0.1:" + server.port() + "/hello.txt?q=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertEquals("hello, world\n", c.read().bodyText());
        }
    }

    @Test
    void expect100ContinueOnAGetWithoutBodyIsAnsweredAtOnce() throws Exception {
        try (RawHttp c = connect()) {
            c.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n\r\n");
            RawHttp.Response r = c.read();
            // no content is announced, so no 100 is needed (§10.1.1): the final response comes straight away
            assertEquals(200, r.status());
            assertEquals("hello, world\n", r.bodyText());
            c.send("GET /alpha.bin HTTP/1.1\r\nHost: x\r\n\r\n");
            assertArrayEquals(alpha, c.read().body());
        }
    }

    @Test
    void aGetWithAContentLengthBodyAndAPipelinedGetAreBothAnswered() throws Exception {
        try (RawHttp c = connect()) {
            c.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nGET /"
                    + "GET /alpha.bin HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response first = c.read();
            RawHttp.Response second = c.read();
            assertEquals(200, first.status());
            assertEquals("hello, world\n", first.bodyText());
            assertEquals(200, second.status());
            assertArrayEquals(alpha, second.body());
        }
    }

    @Test
    void aGetWithAChunkedBodyAndAPipelinedGetAreBothAnswered() throws Exception {
        try (RawHttp c = connect()) {
            c.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5;name=value\r\nGET /\r\n"
                    + "A ; quoted=\"x y\"\r\n0123456789\r\n"
                    + "0\r\nX-Trailer: done\r\n\r\n"
                    + "GET /alpha.bin HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response first = c.read();
            RawHttp.Response second = c.read();
            assertEquals(200, first.status());
            assertEquals("hello, world\n", first.bodyText());
            assertEquals(200, second.status());
            assertArrayEquals(alpha, second.body());
        }
    }

    /**
     * §9.3.2: "the server MUST NOT send content in the response" to HEAD, whatever the status. A HEAD whose
     * target cannot be parsed is still a HEAD; a body would be read as the start of the next response.
     */
    @ParameterizedTest
    @CsvSource({"/%zz", "/a%2Fb", "/%00"})
    void aHeadWithAnInvalidTargetGetsAnErrorWithoutBody(String target) throws Exception {
        try (RawHttp c = connect()) {
            c.send("HEAD " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response r = c.read(true);
            assertEquals(400, r.status());
            if ("close".equals(r.header("Connection"))) {
                assertTrue(c.closedByServer(), "nothing after the head of a HEAD response");
            } else {
                c.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");
                String expected = "HTTP/1.1 200 OK\r\n";
                byte[] start = c.input().readNBytes(expected.length());
                assertEquals(expected, new String(start, StandardCharsets.ISO_8859_1),
                        "what follows the head of the HEAD response");
            }
        }
    }

    /** Sends one request with Connection: close and returns everything the server wrote until it closed. */
    private byte[] exchange(String request) throws IOException {
        try (RawHttp c = connect()) {
            c.send(request);
            InputStream in = c.input();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return all.toByteArray();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "GET /missing.txt HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n              | 404 | Not Found",
        "DELETE /hello.txt HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n             | 405 | Method Not Allowed",
        "GET /hello.txt HTTP/1.1\\r\\nHost: x\\r\\nBad Header: y\\r\\n\\r\\n                     | 400 | Bad Request",
        "GET /%zz HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n                      | 400 | Bad Request",
        "BREW /pot HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n                     | 501 | Not Implemented",
    })
    void errorResponsesAreShortPlainTextOfExactlyTheirContentLength(String request, int status, String reason)
            throws Exception {
        byte[] raw = exchange(request.replace("\\r\\n", "\r\n"));
        String all = new String(raw, StandardCharsets.ISO_8859_1);
        int end = all.indexOf("\r\n\r\n");
        assertTrue(end > 0, "a complete head: " + all);
        String head = all.substring(0, end);
        String body = all.substring(end + 4);
        assertTrue(head.startsWith("HTTP/1.1 " + status + " " + reason + "\r\n"), head);
        String lower = head.toLowerCase(Locale.ROOT);
        assertTrue(lower.contains("\r\ncontent-type: text/plain"), head);
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("\r\ncontent-length: (\\d+)").matcher(lower);
        assertTrue(length.find(), "Content-Length in " + head);
        // everything after the head up to the close is the body, and it is exactly Content-Length bytes
        assertEquals(Integer.parseInt(length.group(1)), body.length(), "body: " + body);
        assertEquals(status + " " + reason + "\n", body);
        if (status == 405) {
            assertTrue(head.contains("\r\nAllow: GET, HEAD, OPTIONS"), head);
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "/m.wasm           | application/wasm",
        "/UPPER.WASM       | application/wasm",
        "/m.mjs            | text/javascript; charset=utf-8",
        "/site.webmanifest | application/manifest+json; charset=utf-8",
        "/p.avif           | image/avif",
        "/x.unknownext     | application/octet-stream",
        "/noextension      | application/octet-stream",
        "/app.log          | text/x-log; charset=utf-8",
        "/hello.txt        | text/plain; charset=utf-8",
    })
    void contentTypesComeFromTheExtension(String path, String type) throws Exception {
        try (RawHttp c = connect()) {
            c.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response r = c.read();
            assertEquals(200, r.status());
            assertEquals(type, r.header("Content-Type"));
            c.send("HEAD " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(type, c.read(true).header("Content-Type"));
        }
    }
}
