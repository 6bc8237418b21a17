package amped.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** GET and HEAD of files end to end, keep-alive, pipelining and the basic errors. */
@Timeout(60)
class FileServingIT {

    @TempDir
    Path temp;
    Path root;
    TestServer server;

    @RegisterExtension
    final AmpedServerExtension servers = new AmpedServerExtension();
    byte[] alpha;
    byte[] beta;

    @BeforeEach
    void start() throws IOException {
        root = Files.createDirectory(temp.resolve("www"));
        alpha = TestFiles.bytes(1, 1000);
        beta = TestFiles.bytes(2, 70_000);
        Files.write(root.resolve("alpha.bin"), alpha);
        Files.write(root.resolve("beta.bin"), beta);
        Files.writeString(root.resolve("hello.txt"), "hello, world\n");
        Files.write(root.resolve("empty.txt"), new byte[0]);
        Files.writeString(temp.resolve("secret.txt"), "outside the root");
        server = servers.start(root);
    }

    @Test
    void getServesTheExactBytesWithTheRequiredHeaders() throws Exception {
        HttpResponse<byte[]> r = server.http.send(HttpRequest.newBuilder(server.uri("/beta.bin")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertArrayEquals(beta, r.body());
        assertEquals("70000", r.headers().firstValue("Content-Length").orElseThrow());
        assertEquals("application/octet-stream", r.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(r.headers().firstValue("Server").orElseThrow().startsWith("amped/"));
        long date = amped.protocol.syntax.HttpDate.parse(r.headers().firstValue("Date").orElseThrow());
        assertTrue(Math.abs(date - System.currentTimeMillis()) < 60_000, "Date is now");
        long lastModified = Files.getLastModifiedTime(root.resolve("beta.bin")).toMillis() / 1000 * 1000;
        assertEquals(lastModified, amped.protocol.syntax.HttpDate.parse(r.headers().firstValue("Last-Modified").orElseThrow()));

        HttpResponse<String> text = server.http.send(HttpRequest.newBuilder(server.uri("/hello.txt")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("hello, world\n", text.body());
        assertEquals("text/plain; charset=utf-8", text.headers().firstValue("Content-Type").orElseThrow());

        HttpResponse<byte[]> empty = server.http.send(HttpRequest.newBuilder(server.uri("/empty.txt")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, empty.statusCode());
        assertEquals(0, empty.body().length);
        assertEquals("0", empty.headers().firstValue("Content-Length").orElseThrow());
    }

    @Test
    void headSendsTheHeadersOfGetAndNoBody() throws Exception {
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("HEAD /beta.bin HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response head = c.read(true);
            assertEquals(200, head.status());
            assertEquals("70000", head.header("Content-Length"));
            // if the HEAD response had carried a body, this next response would be garbled
            c.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response next = c.read();
            assertEquals(200, next.status());
            assertEquals("hello, world\n", next.bodyText());
        }
    }

    @Test
    void missingFileIs404AndOtherMethodsAre405WithAllow() throws Exception {
        HttpResponse<String> missing = server.http.send(HttpRequest.newBuilder(server.uri("/nope.txt")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, missing.statusCode());
        assertEquals("404 Not Found\n", missing.body());
        for (String method : new String[] {"POST", "PUT", "DELETE", "PATCH"}) {
            HttpResponse<String> r = server.http.send(HttpRequest.newBuilder(server.uri("/hello.txt"))
                    .method(method, HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, r.statusCode(), method);
            assertEquals("GET, HEAD, OPTIONS", r.headers().firstValue("Allow").orElseThrow());
        }
    }

    @Test
    void keepsTheConnectionAliveByDefaultAndClosesWhenAsked() throws Exception {
        try (RawHttp c = new RawHttp(server.port())) {
            for (int i = 0; i < 3; i++) {
                c.send("GET /alpha.bin HTTP/1.1\r\nHost: x\r\n\r\n");
                RawHttp.Response r = c.read();
                assertEquals(200, r.status());
                assertArrayEquals(alpha, r.body());
                assertNull(r.header("Connection"));
            }
            c.send("GET /alpha.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            RawHttp.Response last = c.read();
            assertArrayEquals(alpha, last.body());
            assertEquals("close", last.header("Connection"));
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void http10ClosesUnlessKeepAliveIsAsked() throws Exception {
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("GET /hello.txt HTTP/1.0\r\n\r\n");
            RawHttp.Response r = c.read();
            assertEquals(200, r.status());
            assertTrue(c.closedByServer());
        }
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("GET /hello.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            RawHttp.Response r = c.read();
            assertEquals("keep-alive", r.header("Connection"));
            c.send("GET /alpha.bin HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            assertArrayEquals(alpha, c.read().body());
        }
    }

    @Test
    void pipelinedRequestsInOneWriteAreAnsweredInOrder() throws Exception {
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("GET /beta.bin HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "HEAD /alpha.bin HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response first = c.read();
            RawHttp.Response second = c.read(true);
            RawHttp.Response third = c.read();
            assertArrayEquals(beta, first.body());
            assertEquals("1000", second.header("Content-Length"));
            assertEquals("hello, world\n", third.bodyText());
        }
    }

    @Test
    void aRequestSentOneByteAtATimeIsAnswered() throws Exception {
        byte[] request = "GET /alpha.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        try (RawHttp c = new RawHttp(server.port())) {
            for (byte b : request) {
                c.send(new byte[] {b});
            }
            RawHttp.Response r = c.read();
            assertEquals(200, r.status());
            assertArrayEquals(alpha, r.body());
        }
    }

    @Test
    void aMalformedRequestGets400AndTheConnectionCloses() throws Exception {
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n");
            RawHttp.Response r = c.read();
            assertEquals(400, r.status());
            assertEquals("close", r.header("Connection"));
            assertEquals("400 Bad Request\n", r.bodyText());
            assertTrue(c.closedByServer());
        }
        // and the server is unharmed
        HttpResponse<String> ok = server.http.send(HttpRequest.newBuilder(server.uri("/hello.txt")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ok.statusCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/.%2e/secret.txt",
            "/..%2fsecret.txt", "/..%2Fsecret.txt", "/..\\secret.txt", "/%c0%ae%c0%ae/secret.txt",
            "/a/../../secret.txt", "//../secret.txt", "/hello.txt%00.png", "/./../secret.txt",
            "/%252e%252e/secret.txt", "/..%5csecret.txt", "http://x/../secret.txt"})
    void pathsThatLeaveTheRootAreNeverServed(String target) throws Exception {
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response r = c.read();
            assertTrue(r.status() == 400 || r.status() == 404, target + " gave " + r.status());
            assertFalse(r.bodyText().contains("outside the root"));
        }
    }
}
