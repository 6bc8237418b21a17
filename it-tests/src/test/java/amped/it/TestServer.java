package amped.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import amped.core.server.AmpedServer;
import amped.core.server.ServerConfig;
import amped.core.server.ServerStats;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * An in-process amped on 127.0.0.1 and a free port, started through the embedding API, with the checks
 * every test ends with. Tests get one from {@link AmpedServerExtension}, or start one in a
 * try-with-resources block.
 */
final class TestServer implements AutoCloseable {

    final Path root;
    final AmpedServer server;
    final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .proxy(HttpClient.Builder.NO_PROXY)
            .build();
    private boolean closed;

    private TestServer(Path root, AmpedServer server) {
        this.root = root;
        this.server = server;
    }

    static TestServer start(Path root) throws IOException {
        return start(root, b -> { });
    }

    static TestServer start(Path root, Consumer<ServerConfig.Builder> customize) throws IOException {
        ServerConfig.Builder builder = AmpedServer.builder().root(root).port(0).shutdownTimeout(Duration.ofSeconds(5));
        customize.accept(builder);
        return new TestServer(root, builder.start());
    }

    int port() {
        return server.port();
    }

    /** The URI of {@code pathAndQuery} (sent as written: no dot segments resolved away). */
    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    ServerStats stats() {
        return server.stats();
    }

    /** The body of a GET of {@code path}, whole (200) or of one range (206), the status checked. */
    byte[] body(String path, String range) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path));
        if (range != null) {
            b.header("Range", range);
        }
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(range == null ? 200 : 206, r.statusCode());
        return r.body();
    }

    /** Jobs the disk helpers finished (reads, page-ins, read-aheads). */
    long diskJobs() {
        return stats().diskReadTime().count();
    }

    /** Every response's file closed and buffer back in the pool (connections may stay open, idle). */
    void awaitNothingHeld() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            ServerStats s = stats();
            assertEquals(0, s.openFiles(), "open files");
            assertEquals(0, s.buffersInUse(), "buffers in use");
        });
    }

    /** Whether it is stopped or stopping (closed here, or shut down by the test itself). */
    boolean stopped() {
        return closed || server.isStopping();
    }

    /** Stops it (with the 5 s bound set above) and checks no handler threw. Does nothing once stopped. */
    @Override
    public void close() {
        if (stopped()) {
            server.awaitStopped();
            return;
        }
        closed = true;
        ServerStats last = stats();
        server.close();
        assertEquals(0, last.handlerFailures(), "handlers that threw");
    }
}
