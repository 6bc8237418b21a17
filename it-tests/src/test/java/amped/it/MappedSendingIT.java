package amped.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amped.core.server.ServerStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flash's trick: a file too large for the content cache but small enough to keep mapped is sent straight
 * from the mapping while its pages are in memory, and paged in by a disk helper when they are not.
 */
@Timeout(120)
class MappedSendingIT {

    private static final int SIZE = 12 * 1024 * 1024 + 321;

    @TempDir
    Path root;
    Path file;
    byte[] content;
    TestServer server;

    @RegisterExtension
    final AmpedServerExtension servers = new AmpedServerExtension();

    @BeforeEach
    void start() throws IOException {
        file = root.resolve("video.mp4");
        content = TestFiles.bytes(71, SIZE);
        Files.write(file, content);
        server = servers.start(root);
    }

    private byte[] get(String range) throws Exception {
        return server.body("/video.mp4", range);
    }

    @Test
    void aHotFileIsSentFromItsMappingWithoutDiskReadsOrOpenFiles() throws Exception {
        assertArrayEquals(content, get(null));
        long before = server.diskJobs();
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(content, get(null));
        }
        assertArrayEquals(Arrays.copyOfRange(content, 5_000_000, 5_000_100), get("bytes=5000000-5000099"));
        ServerStats after = server.stats();
        assertEquals(before, server.diskJobs(), "resident pages need no disk helper");
        assertEquals(0, after.openFiles(), "a mapping holds no descriptor");
        assertTrue(mappingsOf(file) >= 1, "the file is mapped");
    }

    @Test
    void pagesNotInMemoryArePagedInByADiskHelperFirst() throws Exception {
        // before anything maps it (pages in use by a mapping cannot be dropped)
        TestFiles.evictFromPageCache(file);
        assertEquals(0, server.diskJobs());
        assertArrayEquals(content, get(null));
        assertTrue(server.diskJobs() > 0, "cold pages went through a disk helper");
    }

    @Test
    void aReplacedFileIsMappedAnewAndTheOldMappingIsUnmapped() throws Exception {
        assertArrayEquals(content, get(null));
        byte[] next = TestFiles.bytes(72, SIZE - 1000);
        Path staged = root.resolveSibling("staged.bin");
        Files.write(staged, next);
        Files.move(staged, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        // the cache sees the new file within its one-second revalidation
        await().atMost(Duration.ofSeconds(5)).until(() -> Arrays.equals(next, get(null)));
        server.awaitNothingHeld();
        await().atMost(Duration.ofSeconds(5)).until(() -> deletedMappingsOf(file) == 0);
        assertEquals(1, mappingsOf(file));
    }

    /** Mappings of this process whose file is {@code file} (from /proc/self/maps). */
    static long mappingsOf(Path file) throws IOException {
        String path = file.toRealPath().toString();
        return Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.endsWith(" " + path)).count();
    }

    static long deletedMappingsOf(Path file) throws IOException {
        // the file may be gone: its directory still resolves
        String path = file.getParent().toRealPath().resolve(file.getFileName()).toString();
        return Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(l -> l.endsWith(" " + path + " (deleted)")).count();
    }
}
