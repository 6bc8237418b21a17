package amped.fileio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import amped.fileio.ChunkedFileReader.Progress;
import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Drives {@link ChunkedFileReader} the way the server's connection does: every read's completion only
 * becomes an event in a queue; the "dispatcher" (the test thread) takes it, reports the count to the
 * reader, consumes the buffer and starts the next read. Runs against Jimfs and the real file system.
 */
class ChunkedFileReaderTest {

    static final int CHUNK = 64 * 1024;
    static final long TIMEOUT_SECONDS = 10;

    /** The two file systems the reader is driven on. */
    enum Fs { JIMFS, REAL }

    sealed interface Event permits Completed, Failed {
    }

    record Completed(int n, Object attachment, String thread) implements Event {
    }

    record Failed(Throwable failure, Object attachment) implements Event {
    }

    /** The completion handler: it only turns a completion into an event, as the server's does. */
    static final class Events implements CompletionHandler<Integer, Object> {
        final BlockingQueue<Event> queue = new LinkedBlockingQueue<>();

        @Override
        public void completed(Integer n, Object attachment) {
            queue.add(new Completed(n, attachment, Thread.currentThread().getName()));
        }

        @Override
        public void failed(Throwable failure, Object attachment) {
            queue.add(new Failed(failure, attachment));
        }

        Event take() throws InterruptedException {
            Event e = queue.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (e == null) {
                fail("no completion within " + TIMEOUT_SECONDS + " s");
            }
            return e;
        }
    }

    /** What a drive of the reader produced. */
    record Outcome(byte[] bytes, Progress progress, Throwable failure, int reads, List<Integer> counts) {
    }

    @TempDir
    Path tmp;

    ExecutorService disk;
    FileSystem jimfs;
    final List<AsynchronousFileChannel> opened = new ArrayList<>();

    @BeforeEach
    void setUp() {
        disk = DiskHelpers.create(2);
        jimfs = Jimfs.newFileSystem(Configuration.unix());
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AsynchronousFileChannel c : opened) {
            c.close();
        }
        disk.shutdownNow();
        assertTrue(disk.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        jimfs.close();
    }

    Path dir(Fs fs) throws IOException {
        if (fs == Fs.REAL) {
            return tmp;
        }
        return Files.createDirectories(jimfs.getPath("/srv"));
    }

    static byte[] content(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    Path write(Fs fs, String name, byte[] bytes) throws IOException {
        return Files.write(dir(fs).resolve(name), bytes);
    }

    AsynchronousFileChannel open(Path p) throws IOException {
        AsynchronousFileChannel c = AsynchronousFileChannel.open(p, Set.of(StandardOpenOption.READ), disk);
        opened.add(c);
        return c;
    }

    Outcome drive(AsynchronousFileChannel file, long offset, long length, ByteBuffer buffer) throws Exception {
        return drive(file, offset, length, buffer, reads -> { });
    }

    /**
     * The server's loop. {@code afterRead} runs on the "dispatcher" after each MORE, before the next read
     * is started (the point where a file can change under the server).
     */
    Outcome drive(AsynchronousFileChannel file, long offset, long length, ByteBuffer buffer, IntConsumer afterRead)
            throws Exception {
        ChunkedFileReader reader = new ChunkedFileReader(file, offset, length);
        Events events = new Events();
        Object attachment = new Object();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Integer> counts = new ArrayList<>();
        int reads = 0;
        while (true) {
            buffer.clear();
            reader.readNext(buffer, attachment, events);
            reads++;
            Event e = events.take();
            assertTrue(events.queue.isEmpty(), "one read, one completion");
            if (e instanceof Failed f) {
                assertSame(attachment, f.attachment());
                return new Outcome(out.toByteArray(), null, f.failure(), reads, counts);
            }
            Completed c = (Completed) e;
            assertSame(attachment, c.attachment());
            assertTrue(c.thread().startsWith("amped-disk-"), "completion ran on " + c.thread());
            counts.add(c.n());
            Progress p = reader.completed(c.n());
            buffer.flip();
            assertEquals(Math.max(c.n(), 0), buffer.remaining(), "the count is what landed in the buffer");
            byte[] chunk = new byte[buffer.remaining()];
            buffer.get(chunk);
            out.write(chunk);
            if (p != Progress.TRUNCATED) {
                assertEquals(offset + out.size(), reader.position());
                assertEquals(length - out.size(), reader.remaining());
            }
            if (p != Progress.MORE) {
                return new Outcome(out.toByteArray(), p, null, reads, counts);
            }
            afterRead.accept(reads);
        }
    }

    static Stream<Arguments> wholeFiles() {
        List<Arguments> args = new ArrayList<>();
        for (Fs fs : Fs.values()) {
            for (int size : new int[] {1, 2, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 5 * 1024 * 1024 + 123}) {
                args.add(Arguments.of(fs, size));
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0}, {1} bytes")
    @MethodSource("wholeFiles")
    void readsAWholeFileExactly(Fs fs, int size) throws Exception {
        byte[] bytes = content(size, size);
        AsynchronousFileChannel file = open(write(fs, "f.bin", bytes));

        Outcome o = drive(file, 0, size, ByteBuffer.allocateDirect(CHUNK));

        assertEquals(Progress.DONE, o.progress());
        assertNull(o.failure());
        assertArrayEquals(bytes, o.bytes());
        // the range ends with the last chunk: no extra read that would meet the end of file
        assertEquals((size + CHUNK - 1) / CHUNK, o.reads());
    }

    @ParameterizedTest
    @EnumSource(Fs.class)
    void anEmptyRangeIsNeverRead(Fs fs) throws Exception {
        AsynchronousFileChannel file = open(write(fs, "empty", new byte[0]));
        ChunkedFileReader reader = new ChunkedFileReader(file, 0, 0);
        Events events = new Events();

        assertThrows(IllegalStateException.class, () -> reader.readNext(ByteBuffer.allocateDirect(CHUNK), null, events));
        assertEquals(0, reader.remaining());
        // nothing was started
        assertNull(events.queue.poll(200, TimeUnit.MILLISECONDS));
    }

    static Stream<Arguments> ranges() {
        int size = 300_000;
        long[][] ranges = {
            {0, 1}, {0, 10}, {1, CHUNK}, {1, CHUNK + 1}, {12_345, 200_000}, {CHUNK, CHUNK}, {size - 1, 1},
            {size - 70_000, 70_000}, {0, size},
        };
        List<Arguments> args = new ArrayList<>();
        for (Fs fs : Fs.values()) {
            for (long[] r : ranges) {
                args.add(Arguments.of(fs, size, r[0], r[1]));
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0}, {1} bytes, range {2}+{3}")
    @MethodSource("ranges")
    void readsExactlyARange(Fs fs, int size, long offset, long length) throws Exception {
        byte[] bytes = content(size, 42);
        AsynchronousFileChannel file = open(write(fs, "f.bin", bytes));

        Outcome o = drive(file, offset, length, ByteBuffer.allocateDirect(CHUNK));

        assertEquals(Progress.DONE, o.progress());
        assertArrayEquals(Arrays.copyOfRange(bytes, (int) offset, (int) (offset + length)), o.bytes());
        assertEquals((length + CHUNK - 1) / CHUNK, o.reads());
    }

    @ParameterizedTest
    @EnumSource(Fs.class)
    void aRangeAtTheEndOfALargeFileReadsOnlyThatRange(Fs fs) throws Exception {
        int size = 5 * 1024 * 1024 + 123;
        byte[] bytes = content(size, 7);
        AsynchronousFileChannel file = open(write(fs, "big.bin", bytes));
        // a buffer much larger than the range: the reader must not fill it with what follows the range
        ByteBuffer buffer = ByteBuffer.allocateDirect(1024 * 1024);
        long offset = size - 1000 - 17;

        Outcome o = drive(file, offset, 1000, buffer);

        assertEquals(Progress.DONE, o.progress());
        assertEquals(List.of(1000), o.counts(), "one read of exactly the range");
        assertArrayEquals(Arrays.copyOfRange(bytes, (int) offset, (int) offset + 1000), o.bytes());
    }

    @ParameterizedTest
    @EnumSource(Fs.class)
    void aSmallBufferAtAnOffsetReadsInManyPieces(Fs fs) throws Exception {
        byte[] bytes = content(10_000, 3);
        AsynchronousFileChannel file = open(write(fs, "f.bin", bytes));
        Outcome o = drive(file, 3, 9_990, ByteBuffer.allocateDirect(7));
        assertEquals(Progress.DONE, o.progress());
        assertArrayEquals(Arrays.copyOfRange(bytes, 3, 9_993), o.bytes());
        assertEquals((9_990 + 6) / 7, o.reads());
    }

    @ParameterizedTest
    @EnumSource(Fs.class)
    void aHeapBufferWithDataBeforeItsPositionIsOnlyAppendedTo(Fs fs) throws Exception {
        byte[] bytes = content(5_000, 11);
        AsynchronousFileChannel file = open(write(fs, "f.bin", bytes));
        ChunkedFileReader reader = new ChunkedFileReader(file, 100, 50);
        Events events = new Events();
        // a response head already sits in the buffer: the read goes after it and stops at the range's end
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        buffer.put("HEAD".getBytes());

        reader.readNext(buffer, null, events);
        Completed c = assertInstanceOf(Completed.class, events.take());
        assertEquals(50, c.n());
        assertEquals(Progress.DONE, reader.completed(c.n()));
        buffer.flip();
        assertEquals(54, buffer.remaining());
        byte[] got = new byte[54];
        buffer.get(got);
        assertArrayEquals("HEAD".getBytes(), Arrays.copyOf(got, 4));
        assertArrayEquals(Arrays.copyOfRange(bytes, 100, 150), Arrays.copyOfRange(got, 4, 54));
    }

    @ParameterizedTest
    @EnumSource(Fs.class)
    void aRangeBeyondTheEndOfTheFileIsTruncated(Fs fs) throws Exception {
        byte[] bytes = content(1000, 5);
        AsynchronousFileChannel file = open(write(fs, "f.bin", bytes));

        Outcome o = drive(file, 900, 500, ByteBuffer.allocateDirect(CHUNK));
        assertEquals(Progress.TRUNCATED, o.progress());
        assertArrayEquals(Arrays.copyOfRange(bytes, 900, 1000), o.bytes());

        Outcome past = drive(file, 2000, 10, ByteBuffer.allocateDirect(CHUNK));
        assertEquals(Progress.TRUNCATED, past.progress());
        assertEquals(0, past.bytes().length);
        assertEquals(List.of(-1), past.counts());
    }

    static Stream<Arguments> truncations() {
        List<Arguments> args = new ArrayList<>();
        for (Fs fs : Fs.values()) {
            // file 300_000 bytes, range offset+length, truncated to newSize after the first read
            args.add(Arguments.of(fs, 0, 300_000, 100_000));   // shorter, but past what was read
            args.add(Arguments.of(fs, 0, 300_000, 10_000));    // below what was already read
            args.add(Arguments.of(fs, 50_000, 200_000, 120_000));
            args.add(Arguments.of(fs, 0, 300_000, 0));
            args.add(Arguments.of(fs, 0, 300_000, 2 * CHUNK)); // exactly at a chunk boundary
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0}, range {1}+{2}, truncated to {3}")
    @MethodSource("truncations")
    void aFileTruncatedWhileBeingReadIsReported(Fs fs, long offset, long length, long newSize) throws Exception {
        byte[] bytes = content(300_000, 9);
        Path path = write(fs, "f.bin", bytes);
        AsynchronousFileChannel file = open(path);

        Outcome o = drive(file, offset, length, ByteBuffer.allocateDirect(CHUNK), reads -> {
            if (reads == 1) {
                try (FileChannel w = FileChannel.open(path, StandardOpenOption.WRITE)) {
                    w.truncate(newSize);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }
        });

        assertEquals(Progress.TRUNCATED, o.progress());
        // what was read before the truncation, then only what the file still has
        long expectedEnd = Math.max(offset + CHUNK, newSize);
        assertEquals(expectedEnd - offset, o.bytes().length);
        assertArrayEquals(Arrays.copyOfRange(bytes, (int) offset, (int) expectedEnd), o.bytes());
        assertTrue(o.bytes().length < length);
        assertEquals(-1, o.counts().get(o.counts().size() - 1));
    }

    @Test
    void aDirectoryReadFailsAsAFailureEvent() throws Exception {
        Path d = Files.createDirectory(tmp.resolve("d"));
        AsynchronousFileChannel file;
        try {
            file = open(d);
        } catch (IOException refusedAtOpen) {
            // some systems refuse to open a directory at all: then there is no read to fail
            org.junit.jupiter.api.Assumptions.abort("cannot open a directory here: " + refusedAtOpen);
            return;
        }
        Outcome o = drive(file, 0, 100, ByteBuffer.allocateDirect(CHUNK));
        assertNull(o.progress());
        assertInstanceOf(IOException.class, o.failure());
        assertEquals(0, o.bytes().length);
    }

    @ParameterizedTest
    @EnumSource(Fs.class)
    void aReadOnAClosedChannelFailsAsAFailureEvent(Fs fs) throws Exception {
        AsynchronousFileChannel file = open(write(fs, "f.bin", content(100, 1)));
        file.close();
        Outcome o = drive(file, 0, 100, ByteBuffer.allocateDirect(CHUNK));
        assertNull(o.progress());
        assertInstanceOf(ClosedChannelException.class, o.failure());
    }

    @ParameterizedTest
    @EnumSource(Fs.class)
    void onlyOneReadMayBeInFlight(Fs fs) throws Exception {
        AsynchronousFileChannel file = open(write(fs, "f.bin", content(1000, 1)));
        ChunkedFileReader reader = new ChunkedFileReader(file, 0, 1000);
        Events events = new Events();
        ByteBuffer buffer = ByteBuffer.allocateDirect(100);
        reader.readNext(buffer, null, events);
        assertThrows(IllegalStateException.class, () -> reader.readNext(ByteBuffer.allocateDirect(100), null, events));
        Completed c = assertInstanceOf(Completed.class, events.take());
        assertEquals(100, c.n());
        assertEquals(Progress.MORE, reader.completed(c.n()));
        // exactly one read was started
        assertNull(events.queue.poll(200, TimeUnit.MILLISECONDS));
        buffer.clear();
        reader.readNext(buffer, null, events);
        assertEquals(100, assertInstanceOf(Completed.class, events.take()).n());
    }

    @Test
    void aFullBufferIsRefused() throws Exception {
        AsynchronousFileChannel file = open(write(Fs.REAL, "f.bin", content(1000, 1)));
        ChunkedFileReader reader = new ChunkedFileReader(file, 0, 1000);
        ByteBuffer full = ByteBuffer.allocateDirect(10);
        full.position(10);
        assertThrows(IllegalArgumentException.class, () -> reader.readNext(full, null, new Events()));
        // the refusal did not leave a read "in flight"
        ByteBuffer buffer = ByteBuffer.allocateDirect(10);
        Events events = new Events();
        reader.readNext(buffer, null, events);
        assertEquals(10, assertInstanceOf(Completed.class, events.take()).n());
    }

    @Test
    void negativeRangesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ChunkedFileReader(null, -1, 10));
        assertThrows(IllegalArgumentException.class, () -> new ChunkedFileReader(null, 0, -1));
    }

    @Test
    void completedAccountsForEachRead() {
        ChunkedFileReader reader = new ChunkedFileReader(null, 100, 250);
        assertEquals(100, reader.position());
        assertEquals(250, reader.remaining());

        assertEquals(Progress.MORE, reader.completed(100));
        assertEquals(200, reader.position());
        assertEquals(150, reader.remaining());

        assertEquals(Progress.MORE, reader.completed(1));
        assertEquals(201, reader.position());
        assertEquals(149, reader.remaining());

        assertThrows(IllegalStateException.class, () -> reader.completed(150));
        assertEquals(201, reader.position(), "a refused count changes nothing");
        assertEquals(149, reader.remaining());

        assertEquals(Progress.DONE, reader.completed(149));
        assertEquals(350, reader.position());
        assertEquals(0, reader.remaining());

        assertThrows(IllegalStateException.class, () -> reader.completed(1), "a read past the range");
        assertThrows(IllegalStateException.class,
                () -> reader.readNext(ByteBuffer.allocate(10), null, new Events()), "the range is read");
    }

    @Test
    void endOfFileAndZeroAreTruncation() {
        ChunkedFileReader reader = new ChunkedFileReader(null, 10, 20);
        assertEquals(Progress.TRUNCATED, reader.completed(-1));
        assertEquals(10, reader.position());
        assertEquals(20, reader.remaining());
        assertEquals(Progress.TRUNCATED, reader.completed(0));
        assertEquals(10, reader.position());
        assertEquals(20, reader.remaining());
    }

    @Test
    void readsRunOnTheDiskHelpersWhileTheCallerGoesOn() throws Exception {
        // the first read is started but cannot complete while both helpers are busy: readNext must not wait
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch busy = new CountDownLatch(2);
        for (int i = 0; i < 2; i++) {
            disk.execute(() -> {
                busy.countDown();
                try {
                    release.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        assertTrue(busy.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        AsynchronousFileChannel file = open(write(Fs.REAL, "f.bin", content(10, 1)));
        ChunkedFileReader reader = new ChunkedFileReader(file, 0, 10);
        Events events = new Events();
        reader.readNext(ByteBuffer.allocateDirect(CHUNK), null, events);
        assertNull(events.queue.poll(100, TimeUnit.MILLISECONDS), "completed although no helper was free");
        release.countDown();
        assertEquals(10, assertInstanceOf(Completed.class, events.take()).n());
    }

    @Test
    void jimfsSupportsAsynchronousFileChannels() throws Exception {
        Path p = write(Fs.JIMFS, "f.bin", content(10, 1));
        try (AsynchronousFileChannel c = AsynchronousFileChannel.open(p, Set.of(StandardOpenOption.READ), disk)) {
            assertEquals(10, c.size());
            Future<Integer> n = c.read(ByteBuffer.allocateDirect(100), 0);
            assertEquals(10, n.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        }
    }

    @Test
    void diskHelpersAreNamedDaemonThreads() throws Exception {
        ExecutorService helpers = DiskHelpers.create(3);
        try {
            CountDownLatch started = new CountDownLatch(3);
            CountDownLatch release = new CountDownLatch(1);
            Set<Thread> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
            for (int i = 0; i < 3; i++) {
                helpers.execute(() -> {
                    threads.add(Thread.currentThread());
                    started.countDown();
                    try {
                        release.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            assertTrue(started.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "three tasks ran at once");
            Set<String> names = new HashSet<>();
            for (Thread t : threads) {
                names.add(t.getName());
                assertTrue(t.isDaemon(), t.getName() + " is not a daemon");
            }
            assertEquals(Set.of("amped-disk-0", "amped-disk-1", "amped-disk-2"), names);

            // a fourth task waits for one of the three: the pool never grows
            BlockingQueue<Thread> fourth = new LinkedBlockingQueue<>();
            helpers.execute(() -> fourth.add(Thread.currentThread()));
            assertNull(fourth.poll(100, TimeUnit.MILLISECONDS));
            release.countDown();
            Thread t = fourth.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(t);
            assertTrue(threads.contains(t), t.getName());
        } finally {
            helpers.shutdownNow();
            assertTrue(helpers.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        }
    }

    @Test
    void diskHelpersNeedAtLeastOneThread() {
        assertThrows(IllegalArgumentException.class, () -> DiskHelpers.create(0));
        assertThrows(IllegalArgumentException.class, () -> DiskHelpers.create(-1));
        ExecutorService one = DiskHelpers.create(1);
        assertFalse(one.isShutdown());
        one.shutdownNow();
    }
}
