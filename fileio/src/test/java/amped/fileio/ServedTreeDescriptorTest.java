package amped.fileio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amped.fileio.ServedTree.Options;
import amped.fileio.ServedTree.Resolution;
import amped.fileio.ServedTree.Resolution.Found;
import amped.fileio.sys.ErrnoException;
import amped.fileio.sys.Fd;
import amped.fileio.sys.Native;
import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What holding resolved files by descriptor brings (issue 10 items 1, 3 and 4): FIFOs swapped in are
 * refused without blocking, a same-size edit that restores the mtime is seen by its ctime, descriptors are
 * closed exactly once and none leak, the openat walk refuses links on the way.
 */
@Timeout(60)
class ServedTreeDescriptorTest {

    static final Duration NEVER_BLOCKS = Duration.ofSeconds(5);

    @TempDir
    Path tmp;
    Path root;
    ExecutorService disk;

    @BeforeEach
    void setUp() throws Exception {
        tmp = tmp.toRealPath();
        root = Files.createDirectory(tmp.resolve("root"));
        Files.createDirectories(root.resolve("dir/nested"));
        Files.writeString(root.resolve("dir/nested/file.txt"), "nested file");
        Files.writeString(root.resolve("f.txt"), "aaaa");
        Files.createSymbolicLink(root.resolve("link-dir"), Paths.get("dir"));
        disk = DiskHelpers.create(1);
    }

    @AfterEach
    void tearDown() throws Exception {
        disk.shutdownNow();
        assertTrue(disk.awaitTermination(10, TimeUnit.SECONDS));
    }

    static boolean linuxWithFfm() {
        String arch = System.getProperty("os.arch");
        return System.getProperty("os.name").toLowerCase(Locale.ROOT).equals("linux")
                && (arch.equals("amd64") || arch.equals("aarch64"));
    }

    ServedTree nativeTree() throws Exception {
        Assumptions.assumeTrue(Native.AVAILABLE, "no native calls here");
        return new ServedTree(root, Options.DEFAULTS);
    }

    static Found found(ServedTree tree, String... segments) throws Exception {
        Resolution r = tree.resolve(List.of(segments));
        return assertInstanceOf(Found.class, r, String.join("/", segments) + " should be found, was " + r);
    }

    static String read(ServedTree tree, FileHandle handle, ExecutorService disk) throws Exception {
        try (AsynchronousFileChannel c = tree.open(handle, disk)) {
            ByteBuffer b = ByteBuffer.allocate(100);
            int n = c.read(b, 0).get(10, TimeUnit.SECONDS);
            return n < 0 ? "" : new String(b.array(), 0, n, StandardCharsets.UTF_8);
        }
    }

    @Test
    void onLinuxTheTreeHoldsDescriptors() throws Exception {
        Assumptions.assumeTrue(linuxWithFfm(), "not Linux on x86_64 or aarch64");
        assertTrue(Native.AVAILABLE, "the native calls should be available on Linux");
        ServedTree tree = new ServedTree(root, Options.DEFAULTS);
        assertNotEquals(ServedTree.Mode.PATHS, tree.mode());
        try (Found f = found(tree, "f.txt")) {
            assertTrue(f.handle().isDescriptor());
        }
    }

    @Test
    void aFifoSwappedInForAResolvedFileIsRefusedWithoutBlocking() throws Exception {
        ServedTree tree = nativeTree();
        Path f = root.resolve("f.txt");
        Found before = found(tree, "f.txt");
        Files.delete(f);
        Assumptions.assumeTrue(ServedTreeTest.mkfifo(f), "mkfifo is not available");
        assertTimeoutPreemptively(NEVER_BLOCKS, () -> {
            // a fresh resolution stats the O_PATH descriptor (no open for reading) and refuses it
            assertInstanceOf(Resolution.NotFound.class, tree.resolve(List.of("f.txt")));
            // the handle resolved before still reads the file it was, never the FIFO
            assertEquals("aaaa", read(tree, before.handle(), disk));
            // (unlinking it moved its ctime: read against what it is now)
            assertArrayEquals("aaaa".getBytes(StandardCharsets.UTF_8),
                    tree.readWhole(before.handle(), tree.stat(before.handle()), 100));
        });
        before.close();
    }

    @Test
    void aSameSizeEditThatRestoresTheMtimeChangesTheInfo() throws Exception {
        ServedTree tree = new ServedTree(root, Options.DEFAULTS);
        Path f = root.resolve("f.txt");
        FileTime mtime = FileTime.from(java.time.Instant.parse("2024-05-06T07:08:09.123456789Z"));
        Files.setLastModifiedTime(f, mtime);
        FileInfo first;
        Found original = found(tree, "f.txt");
        first = original.info();
        assertTrue(first.changedNanos() != 0, "the change time is known");
        // the edit of touch -r / cp -p: same size, same mtime, same inode; ctime moves (on the clock's next
        // tick: repeat, bounded, until it does)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        FileInfo second;
        int round = 0;
        do {
            Files.writeString(f, (round++ % 2 == 0) ? "bbbb" : "cccc");
            Files.setLastModifiedTime(f, mtime);
            try (Found again = found(tree, "f.txt")) {
                second = again.info();
            }
        } while (second.changedNanos() == first.changedNanos() && System.nanoTime() < deadline);
        assertEquals(first.size(), second.size());
        assertEquals(first.lastModifiedNanos(), second.lastModifiedNanos());
        assertEquals(first.identity(), second.identity());
        assertNotEquals(first.changedNanos(), second.changedNanos());
        assertNotEquals(first, second, "revalidation by equals sees the edit");
        // content read against the old info does not pass for it
        assertNull(tree.readWhole(original.handle(), first, 100));
        original.close();
        // by path and by descriptor, the same file gives the same info (device encoding included)
        assertEquals(FileMetadata.read(f), second);
    }

    /**
     * Descriptors open on something in this test's directory: those of other tests' trees, which their
     * Cleaner closes whenever a GC finds them, are not counted.
     */
    long openDescriptors() throws Exception {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).startsWith(tmp);
                } catch (IOException closedMeanwhile) {
                    return false;
                }
            }).count();
        }
    }

    @Test
    void descriptorsAreClosedExactlyOnceAndNoneLeak() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "no /proc here");
        ServedTree tree = new ServedTree(root, Options.DEFAULTS);
        ServedTree following = new ServedTree(root, new Options(false, true));
        Files.writeString(root.resolve("f.txt.gz"), "gz");
        Files.write(root.resolve("big.bin"), new byte[100_000]);
        // warm up whatever the JDK opens once (class loading, the executor's threads)
        read(tree, found(tree, "f.txt").handle(), disk);
        long baseline = openDescriptors();
        for (int i = 0; i < 200; i++) {
            try (Found f = found(tree, "f.txt")) {
                assertEquals("aaaa", read(tree, f.handle(), disk));
                assertNotNull(tree.readWhole(f.handle(), f.info(), 100));
                try (Found gz = tree.freshVariant(f, ".gz")) {
                    assertNotNull(gz);
                }
                assertNull(tree.freshVariant(f, ".br"));
            }
            try (Found d = found(tree, "dir")) {
                assertEquals(1, tree.list(d.handle()).size());
            }
            try (Found r = found(tree)) {
                tree.list(r.handle());
            }
            try (Found big = found(tree, "big.bin")) {
                MappedFile m = tree.map(big.handle());
                m.releaseIfUnheld();
            }
            try (Found viaLink = found(following, "link-dir", "nested", "file.txt")) {
                assertEquals("nested file", read(following, viaLink.handle(), disk));
            }
            assertInstanceOf(Resolution.NotFound.class, tree.resolve(List.of("missing")));
            assertInstanceOf(Resolution.NotFound.class, tree.resolve(List.of("link-dir", "nested")));
            assertInstanceOf(Resolution.NotFound.class, tree.resolve(List.of("dir", "nested", "file.txt", "x")));
        }
        assertEquals(baseline, openDescriptors(), "no descriptor leaked");
        // the trees' own root descriptors are part of the baseline: keep them open until counted
        Reference.reachabilityFence(tree);
        Reference.reachabilityFence(following);
    }

    @Test
    void aClosedHandleIsClosedOnceAndCannotBeRead() throws Exception {
        ServedTree tree = nativeTree();
        Found f = found(tree, "f.txt");
        f.close();
        f.close();
        assertTrue(!f.handle().isOpen());
        assertThrows(IllegalStateException.class, () -> tree.open(f.handle(), disk));
        assertThrows(IllegalStateException.class, () -> tree.readWhole(f.handle(), f.info(), 100));
    }

    @Test
    void theWalkRefusesALinkOnTheWayAndReturnsAFinalOneAsItself() throws Exception {
        Assumptions.assumeTrue(Native.AVAILABLE, "no native calls here");
        ServedTree tree = new ServedTree(root, Options.DEFAULTS, ServedTree.Mode.WALK);
        assertEquals(ServedTree.Mode.WALK, tree.mode());
        ErrnoException e = assertThrows(ErrnoException.class, () -> tree.walk(List.of("link-dir", "nested")));
        assertEquals(ErrnoException.ELOOP, e.errno());
        e = assertThrows(ErrnoException.class, () -> tree.walk(List.of("f.txt", "x")));
        assertEquals(ErrnoException.ENOTDIR, e.errno());
        e = assertThrows(ErrnoException.class, () -> tree.walk(List.of("dir", "missing")));
        assertEquals(ErrnoException.ENOENT, e.errno());
        try (Fd link = tree.walk(List.of("link-dir"))) {
            assertTrue(Files.isSymbolicLink(Path.of("/proc/self/fd/" + link.number()))); // the magic link
            assertEquals(amped.fileio.sys.FileStat.S_IFLNK, amped.fileio.sys.FileStat.of(link).type());
        }
        try (Fd file = tree.walk(List.of("dir", "nested", "file.txt"))) {
            assertEquals(11, amped.fileio.sys.FileStat.of(file).size());
        }
        // and through resolve: a link is not found, the file is
        assertInstanceOf(Resolution.NotFound.class, tree.resolve(List.of("link-dir", "nested", "file.txt")));
        try (Found f = found(tree, "dir", "nested", "file.txt")) {
            assertEquals("nested file", read(tree, f.handle(), disk));
        }
    }
}
