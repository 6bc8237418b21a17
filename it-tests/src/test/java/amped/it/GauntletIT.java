package amped.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile and malformed requests over raw sockets, all against one server: each gets its expected status
 * (and a close) or a clean close, never a hang or a leak, and after each one the server still serves a
 * normal request.
 */
@Timeout(120)
class GauntletIT {

    /**
     * Expected answer: a status; then a close, unless the request was well-formed and only asked for
     * something not served ({@code keepsOpen}).
     */
    record Attack(String name, byte[] request, int status, boolean keepsOpen) {
        @Override
        public String toString() {
            return name;
        }
    }

    @TempDir
    static Path temp;
    static TestServer server;

    @RegisterExtension
    static final AmpedServerExtension servers = new AmpedServerExtension();
    static byte[] hello = "hello, gauntlet\n".getBytes(StandardCharsets.US_ASCII);

    @BeforeAll
    static void start() throws IOException {
        Path root = Files.createDirectory(temp.resolve("www"));
        Files.write(root.resolve("hello.txt"), hello);
        Files.writeString(temp.resolve("secret.txt"), "TOP SECRET");
        Files.writeString(root.resolve(".htpasswd"), "TOP SECRET");
        server = servers.start(root);
    }

    static Attack attack(String name, String request, int status) {
        return new Attack(name, request.getBytes(StandardCharsets.ISO_8859_1), status, false);
    }

    static Attack wellFormed(String name, String request, int status) {
        return new Attack(name, request.getBytes(StandardCharsets.ISO_8859_1), status, true);
    }

    static Stream<Arguments> attacks() {
        String h = "Host: x\r\n";
        List<Attack> a = new ArrayList<>();
        // request smuggling
        a.add(attack("CL and TE together", "GET /hello.txt HTTP/1.1\r\n" + h + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400));
        a.add(attack("TE and CL together", "GET /hello.txt HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", 400));
        a.add(attack("differing Content-Length fields", "GET /hello.txt HTTP/1.1\r\n" + h + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400));
        a.add(attack("differing Content-Length list", "GET /hello.txt HTTP/1.1\r\n" + h + "Content-Length: 5, 6\r\n\r\nhello!", 400));
        a.add(attack("negative Content-Length", "GET /hello.txt HTTP/1.1\r\n" + h + "Content-Length: -1\r\n\r\n", 400));
        a.add(attack("signed Content-Length", "GET /hello.txt HTTP/1.1\r\n" + h + "Content-Length: +5\r\n\r\nhello", 400));
        a.add(attack("hex Content-Length", "GET /hello.txt HTTP/1.1\r\n" + h + "Content-Length: 0x10\r\n\r\n", 400));
        a.add(attack("empty Content-Length", "GET /hello.txt HTTP/1.1\r\n" + h + "Content-Length:\r\n\r\n", 400));
        a.add(attack("over-long Content-Length", "GET /hello.txt HTTP/1.1\r\n" + h + "Content-Length: 99999999999999999999\r\n\r\n", 400));
        // RFC 9112 §6.3: without chunked last the length is unknowable (400); §6.1: an unknown coding under it, 501
        a.add(attack("coding without chunked", "GET /hello.txt HTTP/1.1\r\n" + h + "Transfer-Encoding: gzip\r\n\r\n", 400));
        a.add(attack("chunked not last", "GET /hello.txt HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked, gzip\r\n\r\n", 400));
        a.add(attack("unknown coding under chunked", "GET /hello.txt HTTP/1.1\r\n" + h + "Transfer-Encoding: gzip, chunked\r\n\r\n", 501));
        a.add(attack("chunked twice", "GET /hello.txt HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked, chunked\r\n\r\n", 400));
        a.add(attack("Transfer-Encoding in HTTP/1.0", "GET /hello.txt HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400));
        a.add(attack("obs-fold", "GET /hello.txt HTTP/1.1\r\n" + h + "X-A: 1\r\n folded\r\n\r\n", 400));
        a.add(attack("space before colon", "GET /hello.txt HTTP/1.1\r\nHost : x\r\n\r\n", 400));
        a.add(attack("space in field name", "GET /hello.txt HTTP/1.1\r\n" + h + "Transfer Encoding: chunked\r\n\r\n", 400));
        a.add(attack("invalid token in name", "GET /hello.txt HTTP/1.1\r\n" + h + "X(a): 1\r\n\r\n", 400));
        a.add(attack("UTF-8 in field name", "GET /hello.txt HTTP/1.1\r\n" + h + "X-\u00e4: 1\r\n\r\n", 400));
        a.add(attack("bare CR in value", "GET /hello.txt HTTP/1.1\r\n" + h + "X-A: 1\r2\r\n\r\n", 400));
        a.add(attack("bare CR line ending", "GET /hello.txt HTTP/1.1\r" + h + "\r\n", 400));
        a.add(attack("NUL in value", "GET /hello.txt HTTP/1.1\r\n" + h + "X-A: a\u0000b\r\n\r\n", 400));
        a.add(attack("DEL in value", "GET /hello.txt HTTP/1.1\r\n" + h + "X-A: a\u007fb\r\n\r\n", 400));
        a.add(attack("NUL in request line", "GET /hello.txt\u0000 HTTP/1.1\r\n" + h + "\r\n", 400));
        a.add(attack("tab separators", "GET\t/hello.txt\tHTTP/1.1\r\n" + h + "\r\n", 400));
        a.add(attack("double space", "GET  /hello.txt HTTP/1.1\r\n" + h + "\r\n", 400));
        a.add(attack("HTTP/0.9 request", "GET /hello.txt\r\n\r\n", 400));
        a.add(attack("lower-case version", "GET /hello.txt http/1.1\r\n" + h + "\r\n", 400));
        a.add(attack("HTTP/2.0", "GET /hello.txt HTTP/2.0\r\n" + h + "\r\n", 505));
        a.add(attack("missing Host", "GET /hello.txt HTTP/1.1\r\n\r\n", 400));
        a.add(attack("two Hosts", "GET /hello.txt HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400));
        a.add(attack("Host with a slash", "GET /hello.txt HTTP/1.1\r\nHost: a/b\r\n\r\n", 400));
        a.add(attack("unknown expectation", "GET /hello.txt HTTP/1.1\r\n" + h + "Expect: 200-ok\r\n\r\n", 417));
        a.add(attack("request line over 8 KiB", "GET /" + "a".repeat(9000) + " HTTP/1.1\r\n" + h + "\r\n", 414));
        a.add(attack("header section over 16 KiB", "GET /hello.txt HTTP/1.1\r\n" + h + "X-Big: " + "b".repeat(17_000) + "\r\n\r\n", 431));
        StringBuilder many = new StringBuilder("GET /hello.txt HTTP/1.1\r\n" + h);
        for (int i = 0; i < 101; i++) {
            many.append("X-").append(i).append(": v\r\n");
        }
        a.add(attack("101 header fields", many + "\r\n", 431));
        a.add(attack("body over the discard limit", "GET /hello.txt HTTP/1.1\r\n" + h + "Content-Length: 10000000\r\n\r\n", 413));
        a.add(attack("17 empty lines first", "\r\n".repeat(17) + "GET /hello.txt HTTP/1.1\r\n" + h + "\r\n", 400));
        // path attacks
        a.add(attack("dot-dot", "GET /../secret.txt HTTP/1.1\r\n" + h + "\r\n", 400));
        a.add(attack("encoded dot-dot", "GET /%2e%2e/secret.txt HTTP/1.1\r\n" + h + "\r\n", 400));
        a.add(attack("mixed dot-dot", "GET /%2E./secret.txt HTTP/1.1\r\n" + h + "\r\n", 400));
        a.add(attack("dot-dot encoded slash", "GET /..%2fsecret.txt HTTP/1.1\r\n" + h + "\r\n", 400));
        a.add(attack("dot-dot backslash", "GET /..\\secret.txt HTTP/1.1\r\n" + h + "\r\n", 400));
        a.add(attack("encoded backslash", "GET /..%5csecret.txt HTTP/1.1\r\n" + h + "\r\n", 400));
        a.add(attack("overlong UTF-8 dots", "GET /%c0%ae%c0%ae/secret.txt HTTP/1.1\r\n" + h + "\r\n", 400));
        a.add(attack("overlong UTF-8 slash", "GET /..%c0%afsecret.txt HTTP/1.1\r\n" + h + "\r\n", 400));
        a.add(attack("encoded NUL", "GET /hello.txt%00.html HTTP/1.1\r\n" + h + "\r\n", 400));
        a.add(attack("bad percent escape", "GET /%zz HTTP/1.1\r\n" + h + "\r\n", 400));
        a.add(attack("fragment", "GET /hello.txt#x HTTP/1.1\r\n" + h + "\r\n", 400));
        a.add(attack("asterisk for GET", "GET * HTTP/1.1\r\n" + h + "\r\n", 400));
        a.add(attack("ftp scheme", "GET ftp://x/hello.txt HTTP/1.1\r\n" + h + "\r\n", 400));
        a.add(wellFormed("absolute file path", "GET //etc/passwd HTTP/1.1\r\n" + h + "\r\n", 404));
        a.add(wellFormed("drive letter", "GET /C:/Windows/win.ini HTTP/1.1\r\n" + h + "\r\n", 404));
        a.add(wellFormed("dotfile", "GET /.htpasswd HTTP/1.1\r\n" + h + "\r\n", 404));
        // methods
        a.add(wellFormed("CONNECT", "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", 405));
        a.add(wellFormed("TRACE", "TRACE / HTTP/1.1\r\n" + h + "\r\n", 405));
        a.add(wellFormed("lower-case method", "get /hello.txt HTTP/1.1\r\n" + h + "\r\n", 501));
        // not HTTP at all
        a.add(new Attack("TLS ClientHello", new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03, '\n'}, 400, false));
        a.add(attack("binary garbage line", "\u0001\u0002\u0003\u0004\r\n\r\n", 400));
        return a.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void eachAttackGetsItsAnswerAndTheServerServesOn(Attack attack) throws Exception {
        try (RawHttp c = new RawHttp(server.port())) {
            c.send(attack.request());
            RawHttp.Response r = c.read();
            assertEquals(attack.status(), r.status(), attack.name() + ": " + r.statusLine());
            assertFalse(r.bodyText().contains("TOP SECRET"));
            assertFalse(r.bodyText().contains("Exception"), "no stack trace to the client");
            if (attack.keepsOpen()) {
                // a well-formed request for something we do not serve: the connection stays usable
                c.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");
                assertArrayEquals(hello, c.read().body());
            } else {
                // malformed: answered, then closed, because what follows cannot be trusted
                assertEquals("close", r.header("Connection"));
                assertTrue(c.closedByServer(), "closed after " + attack.name());
            }
        }
        assertServesNormally();
    }

    @Test
    void aMalformedChunkedBodyAfterAnAnsweredRequestClosesTheConnection() throws Exception {
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
            RawHttp.Response r = c.read();
            assertEquals(200, r.status());
            assertArrayEquals(hello, r.body());
            assertTrue(c.closedByServer());
        }
        assertServesNormally();
    }

    @Test
    void thereAreAtLeastFortyAttacks() {
        assertTrue(attacks().count() >= 40);
    }

    private static void assertServesNormally() throws IOException {
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response r = c.read();
            assertEquals(200, r.status());
            assertArrayEquals(hello, r.body());
        }
    }
}
