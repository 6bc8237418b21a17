package amped.core.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amped.core.server.AmpedServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A server with a self-signed certificate, asked over HTTPS by Java's HttpClient and raw sockets. */
@Timeout(60)
class TlsServingTest {

    @TempDir
    static Path dir;
    static AmpedServer server;
    static HttpClient client;
    static byte[] big;

    @BeforeAll
    static void start() throws Exception {
        big = new byte[24 * 1024 * 1024 + 17];
        new Random(14).nextBytes(big);
        Files.write(dir.resolve("big.bin"), big);
        Files.writeString(dir.resolve("hello.txt"), "hello, world\n");
        server = AmpedServer.builder().root(dir).port(0).tls(new TlsIdentity.SelfSigned(List.of()))
                .statusPath("/-/status").start();
        client = HttpClient.newBuilder().sslContext(TestTrust.trusting(server.tls().certificate()))
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theUriIsHttpsAndAFileComesWhole() throws Exception {
        URI uri = server.uri();
        assertEquals("https", uri.getScheme());
        HttpResponse<String> small = client.send(HttpRequest.newBuilder(uri.resolve("hello.txt")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, small.statusCode());
        assertEquals("hello, world\n", small.body());
        HttpResponse<byte[]> large = client.send(HttpRequest.newBuilder(uri.resolve("big.bin")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, large.statusCode());
        assertArrayEquals(sha256(big), sha256(large.body()));
    }

    @Test
    void rangesAndConditionalsWorkTheSame() throws Exception {
        HttpResponse<byte[]> part = client.send(HttpRequest.newBuilder(server.uri().resolve("big.bin"))
                .header("Range", "bytes=1000000-1999999").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(206, part.statusCode());
        assertArrayEquals(java.util.Arrays.copyOfRange(big, 1_000_000, 2_000_000), part.body());
        String etag = part.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> notModified = client.send(HttpRequest.newBuilder(server.uri().resolve("big.bin"))
                .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(304, notModified.statusCode());
    }

    @Test
    void manyRequestsOnOneKeptAliveConnection() throws Exception {
        try (SSLSocket s = (SSLSocket) TestTrust.trusting(server.tls().certificate()).getSocketFactory()
                .createSocket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            javax.net.ssl.SSLParameters offer = s.getSSLParameters();
            offer.setApplicationProtocols(new String[] {"h2", "http/1.1"});
            s.setSSLParameters(offer);
            OutputStream out = s.getOutputStream();
            String request = "GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n";
            // pipelined, in one record, then read back in order
            out.write(request.repeat(20).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String all = readUntilCount(in, "hello, world\n", 20);
            assertEquals(20, all.split("HTTP/1.1 200 OK", -1).length - 1);
            assertTrue(s.getSession().getProtocol().equals("TLSv1.3"), s.getSession().getProtocol());
            assertEquals("http/1.1", s.getApplicationProtocol());
        }
    }

    @Test
    void plainHttpOnTheTlsPortGetsA400InClearTextThenTheEnd() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("HTTP/1.1 400 Bad Request\r\n"), answer);
            assertTrue(answer.endsWith("use https:// URLs\n"), answer);
        }
    }

    @Test
    void garbageAfterAHandshakeRecordHeaderClosesOnlyThatConnection() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            byte[] junk = new byte[600];
            new Random(1).nextBytes(junk);
            junk[0] = 22;
            junk[1] = 3;
            junk[2] = 3;
            s.getOutputStream().write(junk);
            InputStream in = s.getInputStream();
            byte[] got = in.readAllBytes(); // an alert at most, then the end
            assertTrue(got.length < 100, "only an alert: " + got.length);
        }
        HttpResponse<String> ok = client.send(HttpRequest.newBuilder(server.uri().resolve("hello.txt")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ok.statusCode());
    }

    @Test
    void theStatusPageShowsATransfersTlsVersionAndCipher() throws Exception {
        try (SSLSocket s = (SSLSocket) TestTrust.trusting(server.tls().certificate()).getSocketFactory().createSocket()) {
            s.setReceiveBufferSize(4096); // a slow reader: the response stays in progress
            s.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()), 10_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getInputStream().readNBytes(1000);
            HttpResponse<String> page = client.send(HttpRequest.newBuilder(server.uri().resolve("-/status/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().matches("(?s).*/big\\.bin <span class=\"sub\">TLSv1\\.3 TLS_AES_\\w+</span>.*"),
                    page.body());
        }
    }

    private static String readUntilCount(InputStream in, String marker, int count) throws Exception {
        StringBuilder sb = new StringBuilder();
        byte[] buf = new byte[8192];
        while (sb.toString().split(java.util.regex.Pattern.quote(marker), -1).length - 1 < count) {
            int n = in.read(buf);
            if (n < 0) {
                break;
            }
            sb.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
        }
        return sb.toString();
    }

    static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }
}
