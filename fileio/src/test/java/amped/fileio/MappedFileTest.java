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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.util.Arrays;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

    @Test
    void aSliceIsWrittenToASocketAndAReleaseDuringTheWriteUnmapsOnlyAfterIt() throws Exception {
        byte[] content = random(16 * 1024 * 1024, 3);
        Path file = Files.write(dir.resolve("sent.bin"), content);
        MappedFile mapped = MappedFile.map(file);
        mapped.retain();
        try (AsynchronousServerSocketChannel server = AsynchronousServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             AsynchronousSocketChannel client = AsynchronousSocketChannel.open()) {
            Future<AsynchronousSocketChannel> accepted = server.accept();
            client.connect(server.getLocalAddress()).get(10, TimeUnit.SECONDS);
            try (AsynchronousSocketChannel peer = accepted.get(10, TimeUnit.SECONDS)) {
                // the whole file in one slice, written until a write stays in flight (the socket buffers full)
                ByteBuffer slice = mapped.slice(0, content.length);
                Future<Integer> write;
                while (true) {
                    write = client.write(slice);
                    try {
                        write.get(200, TimeUnit.MILLISECONDS);
                        assertTrue(slice.hasRemaining(), "the socket took 16 MiB without the peer reading");
                    } catch (TimeoutException inFlight) {
                        break;
                    }
                }
                // the last holder lets go while the kernel still sends from the mapping: the arena cannot be
                // closed now (the write holds it: IllegalStateException), so the mapping stays until the
                // write is done
                mapped.release();
                assertTrue(mapped.isUnmapped());
                assertEquals(1, mappingsOf(file), "still mapped under the write in flight");
                ByteBuffer into = ByteBuffer.allocate(content.length);
                Future<Integer> read = null;
                long readDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                // done when all the write sent is read; a read may still be pending then (issued before the
                // write reported), and stays so: nothing more comes
                while (!(write.isDone() && into.position() == slice.position())) {
                    assertTrue(System.nanoTime() < readDeadline, "the write never completed");
                    if (read == null) {
                        read = peer.read(into);
                    }
                    try {
                        assertTrue(read.get(100, TimeUnit.MILLISECONDS) > 0);
                        read = null;
                    } catch (TimeoutException nothingYet) {
                        // all sent so far is read, or the write is about to report: look again
                    }
                }
                assertTrue(write.get() > 0);
                assertArrayEquals(Arrays.copyOf(content, into.position()), Arrays.copyOf(into.array(), into.position()),
                        "the peer got exactly the file's bytes");
            }
        }
        // the write is over: the deferred close unmaps (retried every 10 ms; bounded here)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (mappingsOf(file) != 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(0, mappingsOf(file));
        assertEquals(0, descriptorsOf(file));
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
