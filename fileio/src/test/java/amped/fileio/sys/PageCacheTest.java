package amped.fileio.sys;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class PageCacheTest {

    private static final int SIZE = 4 * 1024 * 1024 + 123;

    @TempDir
    Path dir;

    @Test
    void aFileJustWrittenIsCachedAndAnEvictedOneIsNotUntilAskedFor() throws Exception {
        assumeTrue(ChannelDescriptors.AVAILABLE && PageCache.canAsk(), "cachestat is not available here");
        Path file = written();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            int fd = ChannelDescriptors.of(channel);
            assertTrue(PageCache.cached(fd, 0, SIZE), "written pages are in the page cache");
            assertTrue(PageCache.cached(fd, SIZE - 10, 10), "the last, partial page");

            evict(file);
            assertFalse(PageCache.cached(fd, 0, SIZE), "evicted");
            assertFalse(PageCache.cached(fd, 1024 * 1024, 4096), "one evicted page");

            // the hint reads the range in without anyone waiting for it; only that range
            PageCache.willNeed(fd, 1024 * 1024, 1024 * 1024);
            await().atMost(Duration.ofSeconds(20)).until(() -> PageCache.cached(fd, 1024 * 1024, 1024 * 1024));
            assertFalse(PageCache.cached(fd, 3 * 1024 * 1024, 1024 * 1024), "beyond the hint stays out");
        }
    }

    @Test
    void bytesBeyondTheEndAreNeverCached() throws Exception {
        assumeTrue(ChannelDescriptors.AVAILABLE && PageCache.canAsk(), "cachestat is not available here");
        Path file = written();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            int fd = ChannelDescriptors.of(channel);
            assertFalse(PageCache.cached(fd, SIZE + 8192, 4096), "past the end");
            assertFalse(PageCache.cached(fd, 0, SIZE + 1024 * 1024L), "partly past the end");
        }
    }

    @Test
    void whatCannotBeAskedIsNotCached() {
        assertFalse(PageCache.cached(-1, 0, 4096), "no descriptor");
        PageCache.willNeed(-1, 0, 4096); // a hint with nothing to hint at does nothing
    }

    private Path written() throws Exception {
        byte[] bytes = new byte[SIZE];
        new Random(7).nextBytes(bytes);
        Path file = dir.resolve("data.bin");
        Files.write(file, bytes);
        return file;
    }

    /** Drops the file's clean pages from the page cache (GNU dd's nocache flag: posix_fadvise DONTNEED). */
    static void evict(Path file) throws Exception {
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
            c.force(true); // only clean pages can be dropped
        }
        Process dd = new ProcessBuilder(List.of("dd", "if=" + file, "iflag=nocache", "count=0", "status=none"))
                .redirectErrorStream(true).start();
        assertTrue(dd.waitFor(30, TimeUnit.SECONDS));
        assumeTrue(dd.exitValue() == 0, "dd cannot drop the page cache here");
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ)) {
            assumeTrue(!PageCache.cached(ChannelDescriptors.of(c), 0, SIZE), "the page cache kept the file");
        }
    }
}
