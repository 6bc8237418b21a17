package amped.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amped.core.server.ServerStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Several dispatchers: each with its own listening socket (SO_REUSEPORT), or, as on platforms without it,
 * one listener handing connections out in turn. Either way every one of four dispatchers serves (the kernel
 * steers each new connection to one listening socket by a hash of its addresses and ports), every byte is
 * right.
 */
@Timeout(120)
@ParameterizedClass(name = "SO_REUSEPORT {0}")
@ValueSource(booleans = {true, false})
class MultipleDispatchersIT {

    @Parameter
    boolean reusePort;

    @TempDir
    Path root;
    TestServer server;

    @RegisterExtension
    final AmpedServerExtension servers = new AmpedServerExtension();
    byte[] small;
    byte[] big;

    @BeforeEach
    void start() throws IOException {
        small = TestFiles.bytes(81, 3000);
        big = TestFiles.bytes(82, 3 * 1024 * 1024);
        Files.write(root.resolve("small.bin"), small);
        Files.write(root.resolve("big.bin"), big);
        server = servers.start(root, b -> b.dispatchers(4).reusePort(reusePort).maxConnections(300));
    }

    @AfterEach
    void stop() {
        server.awaitNothingHeld();
        server.close();
        // every dispatcher's thread ends (a moment after its group reports termination)
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> Thread.getAllStackTraces().keySet()
                .stream().noneMatch(t -> t.getName().startsWith("amped-dispatcher-")));
    }

    @Test
    void everyDispatcherServesAndEveryResponseIsRight() throws Exception {
        Downloads.onThreads(16, 60, n -> {
            try (RawHttp c = new RawHttp(server.port())) {
                for (int k = 0; k < 4; k++) {
                    boolean large = (n + k) % 3 == 0;
                    c.send("GET /" + (large ? "big" : "small") + ".bin HTTP/1.1\r\nHost: x\r\n\r\n");
                    assertArrayEquals(large ? big : small, c.read().body());
                }
            }
        }, Duration.ofSeconds(60));
        ServerStats stats = server.stats();
        assertEquals(4, stats.dispatchers());
        assertEquals(60, stats.accepted());
        for (long accepted : stats.acceptedPerDispatcher()) {
            assertTrue(accepted > 0, "a dispatcher took no connection: " + java.util.Arrays.toString(stats.acceptedPerDispatcher()));
        }
        if (!reusePort) {
            // handed out in turn: an even share each
            assertArrayEquals(new long[] {15, 15, 15, 15}, stats.acceptedPerDispatcher());
        }
        assertEquals(240, stats.requests());
    }
}
