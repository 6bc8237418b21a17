package amped.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What download accelerators do: fetch one file as parallel ranges and put the pieces back together. */
@Timeout(120)
class SegmentedDownloadIT {

    private static final int SIZE = 20 * 1024 * 1024;

    @TempDir
    static Path root;
    static String sha;
    TestServer server;

    @RegisterExtension
    final AmpedServerExtension servers = new AmpedServerExtension();

    @BeforeAll
    static void writeFile() throws Exception {
        sha = TestFiles.write(root.resolve("twenty.bin"), SIZE, 20);
    }

    @BeforeEach
    void start() throws Exception {
        server = servers.start(root);
    }

    private String download(long[] bounds) throws Exception {
        return Downloads.segmented(server.http, server.uri("/twenty.bin"), bounds, SIZE, Duration.ofSeconds(90));
    }

    @Test
    void eightEqualSegments() throws Exception {
        long[] bounds = new long[9];
        for (int i = 0; i <= 8; i++) {
            bounds[i] = (long) SIZE * i / 8;
        }
        assertEquals(sha, download(bounds));
    }

    @Test
    void sixteenUnevenSegments() throws Exception {
        SplittableRandom random = new SplittableRandom(16);
        java.util.TreeSet<Long> cuts = new java.util.TreeSet<>();
        cuts.add(1L); // a one-byte first segment
        cuts.add((long) SIZE - 1); // and a one-byte last one
        while (cuts.size() < 15) {
            cuts.add(random.nextLong(2, SIZE - 1));
        }
        long[] bounds = new long[17];
        bounds[0] = 0;
        int i = 1;
        for (long cut : cuts) {
            bounds[i++] = cut;
        }
        bounds[16] = SIZE;
        assertEquals(sha, download(bounds));
    }
}
