package amped.fileio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amped.fileio.ServedTree.Resolution;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The escape of issue 10, item 1: a user who can write inside the root swaps a directory {@code d} for a
 * symbolic link {@code d -> /outside} in a rename loop while {@code d/file} is resolved and read. What is
 * read must never be the outside file, whichever way the tree resolves.
 */
@Timeout(60)
class ServedTreeRaceTest {

    static final long SWAP_NANOS = TimeUnit.SECONDS.toNanos(3);
    static final String INSIDE = "inside--content";
    static final String OUTSIDE = "OUTSIDE-CONTENT";

    @TempDir
    Path tmp;
    Path root;
    ExecutorService disk;

    @BeforeEach
    void setUp() throws Exception {
        tmp = tmp.toRealPath();
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        // the same size as the inside file, so that no size check tells them apart
        Files.writeString(outside.resolve("file"), OUTSIDE);
        root = Files.createDirectory(tmp.resolve("root"));
        Files.createDirectory(root.resolve("d"));
        Files.writeString(root.resolve("d/file"), INSIDE);
        Files.createSymbolicLink(root.resolve("d.link"), outside);
        disk = DiskHelpers.create(1);
    }

    @AfterEach
    void tearDown() throws Exception {
        disk.shutdownNow();
        assertTrue(disk.awaitTermination(10, TimeUnit.SECONDS));
    }

    ServedTree tree(ServedTree.Options options, ServedTree.Mode mode) throws Exception {
        ServedTree tree = new ServedTree(root, options, mode);
        // the race is won only where the tree holds descriptors (the portable mode is documented as weaker)
        Assumptions.assumeTrue(tree.mode() != ServedTree.Mode.PATHS, "no native calls here");
        return tree;
    }

    @Test
    void aDirectorySwappedForALinkOutNeverLeaksTheOutsideFile() throws Exception {
        race(tree(ServedTree.Options.DEFAULTS, null));
    }

    @Test
    void withLinksFollowedTheOutsideFileStillNeverLeaks() throws Exception {
        race(tree(new ServedTree.Options(false, true), null));
    }

    @Test
    void theOpenatWalkNeverLeaksTheOutsideFileEither() throws Exception {
        race(tree(ServedTree.Options.DEFAULTS, ServedTree.Mode.WALK));
    }

    void race(ServedTree tree) throws Exception {
        Path d = root.resolve("d");
        Path real = root.resolve("d.real");
        Path link = root.resolve("d.link");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong swaps = new AtomicLong();
        Thread swapper = new Thread(() -> {
            try {
                while (!stop.get()) {
                    Files.move(d, real, StandardCopyOption.ATOMIC_MOVE);
                    Files.move(link, d, StandardCopyOption.ATOMIC_MOVE);
                    Files.move(d, link, StandardCopyOption.ATOMIC_MOVE);
                    Files.move(real, d, StandardCopyOption.ATOMIC_MOVE);
                    swaps.incrementAndGet();
                }
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }, "swapper");
        swapper.setDaemon(true);
        long insideReads = 0;
        long leaks = 0;
        swapper.start();
        try {
            long end = System.nanoTime() + SWAP_NANOS;
            while (System.nanoTime() < end) {
                String seen = resolveAndRead(tree, true);
                String viaChannel = resolveAndRead(tree, false);
                for (String s : new String[] {seen, viaChannel}) {
                    if (OUTSIDE.equals(s)) {
                        leaks++;
                    } else if (INSIDE.equals(s)) {
                        insideReads++;
                    }
                }
            }
        } finally {
            stop.set(true);
            swapper.join(10_000);
        }
        assertTrue(swaps.get() > 0, "the swapper ran");
        assertTrue(insideReads > 0, "the inside file was read at all");
        assertEquals(0, leaks, "outside file read " + leaks + " times (" + insideReads + " inside reads, "
                + swaps.get() + " swaps)");
    }

    /** The content read for d/file, or null when it was not found (or not read consistently). */
    static String resolveAndRead(ServedTree tree, boolean whole) throws Exception {
        Resolution r = tree.resolve(List.of("d", "file"));
        if (!(r instanceof Resolution.Found f)) {
            return null;
        }
        try (f) {
            if (whole) {
                byte[] b = tree.readWhole(f.handle(), f.info(), 1024);
                return b == null ? null : new String(b, StandardCharsets.UTF_8);
            }
            try (AsynchronousFileChannel c = tree.open(f.handle(), null)) {
                ByteBuffer b = ByteBuffer.allocate(64);
                int n = c.read(b, 0).get(10, TimeUnit.SECONDS);
                return n < 0 ? "" : new String(b.array(), 0, n, StandardCharsets.UTF_8);
            }
        } catch (java.io.IOException gone) {
            return null;
        }
    }
}
