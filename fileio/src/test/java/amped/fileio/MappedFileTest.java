package amped.fileio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class MappedFileTest {

    @TempDir
    Path dir;

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void slicesShowTheFileAndStayWithinTheRequestedLength() throws IOException {
        byte[] content = random(3 * 1024 * 1024 + 17, 1);
        Path file = Files.write(dir.resolve("f.bin"), content);
        MappedFile mapped = MappedFile.map(file);
        try {
            assertEquals(content.length, mapped.size());
            MappedByteBuffer slice = mapped.slice(1_000_000, 65_536);
            assertEquals(65_536, slice.remaining());
            byte[] seen = new byte[slice.remaining()];
            slice.duplicate().get(seen);
            assertArrayEquals(Arrays.copyOfRange(content, 1_000_000, 1_065_536), seen);
            MappedByteBuffer tail = mapped.slice(content.length - 10, 65_536);
            assertEquals(10, tail.remaining(), "never past the end");
            mapped.pageIn(0, content.length);
            assertTrue(MappedFile.resident(mapped.slice(0, content.length)), "paged in means resident");
        } finally {
            mapped.releaseIfUnheld();
        }
    }

    @Test
    void pagingInARangeTheFileNoLongerHasFailsAsFileShrankEveryTime() throws IOException {
        Path file = dir.resolve("victim.bin");
        for (int round = 0; round < 200; round++) {
            try (FileChannel c = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                c.write(ByteBuffer.allocate(2 * 1024 * 1024), 0);
            }
            MappedFile mapped = MappedFile.map(file);
            try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
                c.truncate(4096);
            }
            assertThrows(MappedFile.FileShrankException.class, () -> mapped.pageIn(1024 * 1024, 512 * 1024));
            mapped.pageIn(0, 4096); // what is left is still fine
            mapped.releaseIfUnheld();
        }
        // no fault of Java code ever touched the truncated mapping, so nothing surfaces later either
        assertEquals(4096, Files.size(file));
    }

    @Test
    void theLastHolderUnmapsAndClosesTheDescriptor() throws IOException {
        Path file = Files.write(dir.resolve("held.bin"), random(100_000, 2));
        MappedFile mapped = MappedFile.map(file);
        assertEquals(1, descriptorsOf(file), "one descriptor, for paging in");
        mapped.retain();
        mapped.retain();
        mapped.release();
        assertFalse(mapped.isUnmapped());
        mapped.releaseIfUnheld();
        assertFalse(mapped.isUnmapped(), "still held once");
        mapped.release();
        assertTrue(mapped.isUnmapped());
        assertEquals(0, descriptorsOf(file));
        assertEquals(0, mappingsOf(file));
        assertThrows(IllegalStateException.class, () -> mapped.slice(0, 10));
        assertThrows(IllegalStateException.class, mapped::retain);
        mapped.release(); // a second release is harmless
    }

    private static long descriptorsOf(Path file) throws IOException {
        Path real = file.toRealPath();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(real);
                } catch (IOException gone) {
                    return false;
                }
            }).count();
        }
    }

    private static long mappingsOf(Path file) throws IOException {
        String path = file.toRealPath().toString();
        return Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.endsWith(" " + path)).count();
    }
}
