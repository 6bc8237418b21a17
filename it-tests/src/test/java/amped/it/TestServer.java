package amped.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import amped.core.server.AmpedServer;
import amped.core.server.ServerConfig;
import amped.core.server.ServerStats;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/** An in-process amped on 127.0.0.1 and a free port, with the checks every test ends with. */
final class TestServer implements AutoCloseable {

    final Path root;
    final AmpedServer server;
    final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .proxy(HttpClient.Builder.NO_PROXY)
            .build();

    private TestServer(Path root, AmpedServer server) {
        this.root = root;
        this.server = server;
    }

    static TestServer start(Path root) throws IOException {
        return start(root, b -> { });
    }

    static TestServer start(Path root, Consumer<ServerConfig.Builder> customize) throws IOException {
        ServerConfig.Builder builder = ServerConfig.builder(root)
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        customize.accept(builder);
        return new TestServer(root, AmpedServer.start(builder.build()));
    }

    int port() {
        return server.port();
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    ServerStats stats() {
        return server.stats();
    }

    /** Every response's file closed and buffer back in the pool (connections may stay open, idle). */
    void awaitNothingHeld() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            ServerStats s = stats();
            assertEquals(0, s.openFiles(), "open files");
            assertEquals(0, s.buffersInUse(), "buffers in use");
        });
    }

    @Override
    public void close() {
        ServerStats last = stats();
        server.shutdown(Duration.ofSeconds(5));
        assertEquals(0, last.handlerFailures(), "handlers that threw");
    }
}
