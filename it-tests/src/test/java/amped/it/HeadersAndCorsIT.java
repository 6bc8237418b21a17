package amped.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** --header fields on every response, and --cors as a browser's fetch of a range meets it. */
@Timeout(60)
class HeadersAndCorsIT {

    @TempDir
    static Path root;
    static byte[] data;

    @RegisterExtension
    final AmpedServerExtension servers = new AmpedServerExtension();

    @BeforeAll
    static void writeFiles() throws Exception {
        data = TestFiles.bytes(3, 100_000);
        Files.write(root.resolve("data.bin"), data);
    }

    private static RawHttp.Response exchange(TestServer server, String request) throws Exception {
        try (RawHttp c = new RawHttp(server.port())) {
            c.send(request);
            return c.read(request.startsWith("HEAD"));
        }
    }

    @Test
    void configuredFieldsAreOnEveryResponseOnce() throws Exception {
        TestServer server = servers.start(root, b -> b.header("X-Frame-Options", "DENY")
                .header("Strict-Transport-Security", "max-age=63072000").auth("u", "p"));
        String auth = "Authorization: Basic dTpw\r\n";
        List<String> requests = List.of(
                "GET /data.bin HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n",
                "HEAD /data.bin HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n",
                "GET /data.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=0-9\r\n" + auth + "\r\n",
                "GET /nope HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n",
                "GET / HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n",
                "GET /data.bin HTTP/1.1\r\nHost: x\r\n\r\n",
                "POST /data.bin HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
                "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n");
        for (String request : requests) {
            RawHttp.Response r = exchange(server, request);
            assertEquals(List.of("DENY"), r.headers().get("x-frame-options"), request + r.statusLine());
            assertEquals(List.of("max-age=63072000"), r.headers().get("strict-transport-security"), request);
        }
    }

    @Test
    void withoutCorsNoCrossOriginFieldIsSent() throws Exception {
        TestServer server = servers.start(root);
        RawHttp.Response r = exchange(server, "GET /data.bin HTTP/1.1\r\nHost: x\r\nOrigin: https://app.example\r\n\r\n");
        assertNull(r.header("Access-Control-Allow-Origin"));
    }

    @Test
    void aCrossOriginRangeDownloadIsReadableWithItsRangeFields() throws Exception {
        TestServer server = servers.start(root, b -> b.cors(true));
        RawHttp.Response r = exchange(server, "GET /data.bin HTTP/1.1\r\nHost: x\r\nOrigin: https://app.example\r\n"
                + "Range: bytes=100-199\r\n\r\n");
        assertEquals(206, r.status());
        assertEquals("*", r.header("Access-Control-Allow-Origin"));
        List<String> exposed = Arrays.stream(r.header("Access-Control-Expose-Headers").split(",")).map(String::strip).toList();
        assertEquals(true, exposed.containsAll(List.of("Content-Range", "Content-Length", "ETag", "Accept-Ranges")), exposed.toString());
        assertArrayEquals(Arrays.copyOfRange(data, 100, 200), r.body());
        assertEquals("*", exchange(server, "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n").header("Access-Control-Allow-Origin"));
    }

    @Test
    void aPreflightIsAnsweredWithTheMethodsAndTheFieldsAskedFor() throws Exception {
        // with --auth too: a preflight never carries credentials, so it must not be refused for lacking them
        TestServer server = servers.start(root, b -> b.cors(true).auth("u", "p"));
        RawHttp.Response r = exchange(server, "OPTIONS /data.bin HTTP/1.1\r\nHost: x\r\nOrigin: https://app.example\r\n"
                + "Access-Control-Request-Method: GET\r\nAccess-Control-Request-Headers: range, authorization\r\n\r\n");
        assertEquals(204, r.status());
        assertEquals("*", r.header("Access-Control-Allow-Origin"));
        assertEquals("GET, HEAD, OPTIONS", r.header("Access-Control-Allow-Methods"));
        assertEquals("range, authorization", r.header("Access-Control-Allow-Headers"));
        assertEquals("86400", r.header("Access-Control-Max-Age"));
        RawHttp.Response odd = exchange(server, "OPTIONS /data.bin HTTP/1.1\r\nHost: x\r\nOrigin: https://app.example\r\n"
                + "Access-Control-Request-Method: GET\r\nAccess-Control-Request-Headers: a b\r\n\r\n");
        assertEquals("Range, If-Range, If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since, Authorization",
                odd.header("Access-Control-Allow-Headers"));
        // a plain OPTIONS stays what it was
        RawHttp.Response plain = exchange(server, "OPTIONS /data.bin HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(204, plain.status());
        assertEquals("GET, HEAD, OPTIONS", plain.header("Allow"));
        assertNull(plain.header("Access-Control-Allow-Methods"));
    }
}
