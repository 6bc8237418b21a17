package amped.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amped.fileio.sys.ChannelDescriptors;
import amped.fileio.sys.PageCache;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file read from disk as it is sent (nothing cached in the server): chunks the page cache holds go out
 * at once, without a disk helper's round trip; the others are read in by a helper first. Either way the
 * bytes are the file's.
 */
@Timeout(120)
class StreamedSendingIT {

    private static final int SIZE = 9 * 1024 * 1024 + 777;

    @TempDir
    Path root;
    Path file;
    byte[] content;
    TestServer server;

    @RegisterExtension
    final AmpedServerExtension servers = new AmpedServerExtension();

    @BeforeEach
    void start() throws Exception {
        file = root.resolve("dataset.bin");
        content = TestFiles.bytes(91, SIZE);
        Files.write(file, content);
        server = servers.start(root, b -> b.cacheSize(0));
    }

    private byte[] get(String range) throws Exception {
        return server.body("/dataset.bin", range);
    }

    @Test
    void aFileThePageCacheHoldsIsSentWithoutADiskHelper() throws Exception {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            // the file was just written: a kernel that can tell (cachestat, Linux 6.5) says it is cached
            Assumptions.assumeTrue(PageCache.cached(ChannelDescriptors.of(channel), 0, SIZE),
                    "the kernel cannot say what is in the page cache here");
        }
        assertArrayEquals(content, get(null));
        long before = server.diskJobs();
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(content, get(null));
        }
        assertArrayEquals(Arrays.copyOfRange(content, 4_000_000, 6_500_000), get("bytes=4000000-6499999"));
        assertEquals(before, server.diskJobs(), "cached chunks need no disk helper");
        server.awaitNothingHeld();
    }

    @Test
    void aFileOffTheCacheIsReadInByAHelperAndArrivesWhole() throws Exception {
        TestFiles.evictFromPageCache(file);
        assertArrayEquals(content, get(null));
        assertTrue(server.diskJobs() > 0, "cold chunks went through a disk helper");
        assertArrayEquals(content, get(null));
        server.awaitNothingHeld();
    }
}
