package amped.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
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

/**
 * The status endpoints behind a reverse proxy: on a listener of their own (--status-listen) and never on
 * the main port; and whatever the port, the status page shows no query string and, on the main port, no
 * client address.
 */
@Timeout(60)
class StatusListenerIT {

    @TempDir
    Path root;
    TestServer server;

    @RegisterExtension
    final AmpedServerExtension servers = AmpedServerExtension.withoutHoldCheck();

    @BeforeEach
    void files() throws IOException {
        Files.writeString(root.resolve("hello.txt"), "hello\n");
        TestFiles.write(root.resolve("big.bin"), 16L * 1024 * 1024, 7);
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return server.http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static InetSocketAddress loopbackAnyPort() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    @Test
    void onTheirOwnListenerTheStatusEndpointsAnswerThereAndTheMainPortServesFilesOnly() throws Exception {
        server = servers.start(root, b -> b.statusListen(loopbackAnyPort()));
        URI status = server.server.statusUri();
        assertTrue(server.server.statusAddress().getPort() != server.port());
        assertEquals(URI.create("http://127.0.0.1:" + server.server.statusAddress().getPort() + "/"), status);

        HttpResponse<String> page = get(status);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("amped status"), page.body());
        HttpResponse<String> metrics = get(status.resolve("metrics"));
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("amped_requests_total"), metrics.body());
        assertEquals("ok\n", get(status.resolve("health")).body());
        // the status listener serves no files
        assertEquals(404, get(status.resolve("hello.txt")).statusCode());

        // the main port serves files only: / is the directory listing, the status paths are plain misses
        assertEquals("hello\n", get(server.uri("/hello.txt")).body());
        HttpResponse<String> listing = get(server.uri("/"));
        assertEquals(200, listing.statusCode());
        assertTrue(listing.body().contains("hello.txt") && !listing.body().contains("amped status"), listing.body());
        assertEquals(404, get(server.uri("/metrics")).statusCode());
        assertEquals(404, get(server.uri("/health")).statusCode());
    }

    @Test
    void withAStatusPathTheOwnListenerServesThemUnderIt() throws Exception {
        server = servers.start(root, b -> b.statusListen(loopbackAnyPort()).statusPath("/-/status"));
        URI status = server.server.statusUri();
        assertTrue(status.getPath().equals("/-/status/"), status.toString());
        assertEquals(200, get(status.resolve("metrics")).statusCode());
        assertEquals(404, get(status.resolve("/metrics")).statusCode());
        assertEquals(404, get(server.uri("/-/status/metrics")).statusCode());
        assertEquals(404, get(server.uri("/-/status/")).statusCode());
    }

    /** A download of {@code target} that reads a little and then waits, so it stays in progress. */
    private static Socket slowDownload(int port, String target) throws IOException {
        Socket slow = new Socket();
        slow.setReceiveBufferSize(16 * 1024);
        slow.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        slow.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        InputStream in = slow.getInputStream();
        in.readNBytes(200_000);
        return slow;
    }

    @Test
    void theStatusPageNeverShowsAQueryStringNorOnTheMainPortAClientAddress() throws Exception {
        server = servers.start(root, b -> b.statusPath("/-/status"));
        try (Socket slow = slowDownload(server.port(), "/big.bin?X-Amz-Signature=s3cr3t&token=t0k3n")) {
            assertTrue(slow.isConnected());
            String html = get(server.uri("/-/status/")).body();
            assertTrue(html.contains("Transfers in progress (1)"), html);
            assertTrue(html.contains("<td class=\"p\">/big.bin</td>"), html);
            assertFalse(html.contains("s3cr3t") || html.contains("t0k3n") || html.contains("X-Amz"), html);
            // behind a proxy every client is the proxy, and anyone it forwards could read them
            assertFalse(html.contains("<th>client</th>") || html.contains("<td>127.0.0.1</td>"), html);
        }
    }

    @Test
    void onItsOwnListenerThePageShowsClientsButNoQueryString() throws Exception {
        server = servers.start(root, b -> b.statusListen(loopbackAnyPort()));
        try (Socket slow = slowDownload(server.port(), "/big.bin?token=t0k3n")) {
            assertTrue(slow.isConnected());
            String html = get(server.server.statusUri()).body();
            assertTrue(html.contains("<td class=\"p\">/big.bin</td><td>127.0.0.1</td>"), html);
            assertFalse(html.contains("t0k3n"), html);
        }
    }
}
