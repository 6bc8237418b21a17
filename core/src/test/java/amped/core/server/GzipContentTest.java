package amped.core.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amped.fileio.ServedTree;
import amped.protocol.RequestTarget;
import amped.protocol.encoding.ContentCoding;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The link that gzips compressible files on the fly, driven directly on a temporary tree. */
class GzipContentTest {

    private static final List<ContentCoding> GZIP_FIRST = List.of(ContentCoding.GZIP, ContentCoding.IDENTITY);
    private static final List<ContentCoding> IDENTITY_ONLY = List.of(ContentCoding.IDENTITY);

    @TempDir
    Path root;
    private final ExecutorService helpers = Executors.newSingleThreadExecutor();
    private ContentSource chain;

    @BeforeEach
    void chain() throws IOException {
        ServerConfig config = ServerConfig.builder(root).build();
        DiskContent disk = new DiskContent(new ServedTree(root, ServedTree.Options.DEFAULTS), helpers, config);
        chain = ContentSource.below(disk, config);
    }

    @AfterEach
    void stop() {
        helpers.shutdownNow();
    }

    private Resolved.Files resolve(String path, Resolved previous, List<ContentCoding> accepted) throws Exception {
        Resolved resolved = chain.resolve(RequestTarget.parse(path), previous, true, accepted);
        Resolved.closeHandles(resolved);
        return assertInstanceOf(Resolved.Files.class, resolved);
    }

    private static byte[] gunzip(byte[] gzip) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return in.readAllBytes();
        }
    }

    private static byte[] text(int bytes) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; s.length() < bytes; i++) {
            s.append("line ").append(i).append(" of a compressible text file\n");
        }
        return s.substring(0, bytes).getBytes(StandardCharsets.UTF_8);
    }

    private Path write(String name, byte[] content) throws IOException {
        Path p = root.resolve(name);
        Files.write(p, content);
        Files.setLastModifiedTime(p, FileTime.from(Instant.now().minusSeconds(60)));
        return p;
    }

    @Test
    void aClientAskingForGzipGetsItMadeOfExactlyTheFile() throws Exception {
        for (int size : new int[] {1024, 40_000, 300_000}) { // in memory, in memory, mapped or read
            byte[] content = text(size);
            write("f" + size + ".txt", content);
            Resolved.Files files = resolve("/f" + size + ".txt", null, GZIP_FIRST);
            assertEquals(Resolved.GzipOnTheFly.MADE, files.onTheFly(), "size " + size);
            assertArrayEquals(content, gunzip(files.gzip().content()), "size " + size);
            assertTrue(files.gzip().etag().weak());
            assertTrue(files.gzip().etag().opaqueTag().endsWith("-gzip"));
            assertFalse(files.byteRanges(ContentCoding.GZIP));
            assertTrue(files.byteRanges(ContentCoding.IDENTITY));
            assertTrue(files.varies());
        }
    }

    @Test
    void nothingIsMadeForAClientThatWouldNotGetIt() throws Exception {
        write("a.css", text(5000));
        Resolved.Files files = resolve("/a.css", null, IDENTITY_ONLY);
        assertEquals(Resolved.GzipOnTheFly.ON_REQUEST, files.onTheFly());
        assertNull(files.gzip());
        assertTrue(files.varies(), "identity responses say Vary, since others get gzip");
        assertFalse(files.gzipToMake(IDENTITY_ONLY));
        assertTrue(files.gzipToMake(GZIP_FIRST));
        // preferring identity is respected
        assertFalse(files.gzipToMake(List.of(ContentCoding.IDENTITY, ContentCoding.GZIP)));
    }

    @Test
    void anUnchangedFileKeepsItsGzipAndAChangedOneIsMadeAgain() throws Exception {
        Path p = write("app.js", text(20_000));
        Resolved.Files first = resolve("/app.js", null, GZIP_FIRST);
        Resolved.Files again = resolve("/app.js", first, IDENTITY_ONLY);
        assertEquals(Resolved.GzipOnTheFly.MADE, again.onTheFly());
        assertSame(first.gzip().content(), again.gzip().content(), "not compressed twice");

        byte[] changed = text(21_000);
        Files.write(p, changed);
        Resolved.Files after = resolve("/app.js", again, GZIP_FIRST);
        assertNotSame(first.gzip().content(), after.gzip().content());
        assertArrayEquals(changed, gunzip(after.gzip().content()));
        assertFalse(after.gzip().etag().equals(first.gzip().etag()));
    }

    @Test
    void whatDoesNotShrinkIsServedAsItIs() throws Exception {
        byte[] noise = new byte[10_000];
        new Random(5).nextBytes(noise);
        write("noise.txt", noise);
        Resolved.Files files = resolve("/noise.txt", null, GZIP_FIRST);
        assertEquals(Resolved.GzipOnTheFly.NOT_SMALLER, files.onTheFly());
        assertNull(files.gzip());
        assertFalse(files.varies());
        assertEquals(Resolved.GzipOnTheFly.NOT_SMALLER, resolve("/noise.txt", files, GZIP_FIRST).onTheFly());
    }

    @Test
    void binaryTypesSmallFilesAndFilesWithASiblingAreLeftAlone() throws Exception {
        write("image.png", text(10_000));
        write("small.txt", text(1023));
        write("with.js", text(10_000));
        byte[] sibling = GzipContent.gzip(text(10_000));
        write("with.js.gz", sibling);
        for (String path : List.of("/image.png", "/small.txt")) {
            Resolved.Files files = resolve(path, null, GZIP_FIRST);
            assertEquals(Resolved.GzipOnTheFly.NONE, files.onTheFly(), path);
            assertNull(files.gzip(), path);
            assertFalse(files.varies(), path);
        }
        Resolved.Files with = resolve("/with.js", null, GZIP_FIRST);
        assertEquals(Resolved.GzipOnTheFly.NONE, with.onTheFly());
        assertArrayEquals(sibling, with.gzip().content(), "the precompressed sibling");
    }

    /** The chain with gzip on the fly bounded to {@code compressors} at once and {@code budget} bytes. */
    private GzipContent bounded(GzipCounters counters, int compressors, long budget) throws IOException {
        ServerConfig config = ServerConfig.builder(root).build();
        ServedTree tree = new ServedTree(root, ServedTree.Options.DEFAULTS);
        ContentSource memory = new MemoryContent(new DiskContent(tree, helpers, config), tree, config);
        return new GzipContent(memory, tree, counters, compressors, budget);
    }

    @Test
    void beyondTheMemoryBoundTheFileItselfIsServedAndALaterRequestCompresses() throws Exception {
        GzipCounters counters = new GzipCounters();
        chain = bounded(counters, 1, 4096);
        write("big.txt", text(5000));
        Resolved.Files refused = resolve("/big.txt", null, GZIP_FIRST);
        assertEquals(Resolved.GzipOnTheFly.ON_REQUEST, refused.onTheFly());
        assertNull(refused.gzip());
        assertEquals(ContentCoding.IDENTITY, refused.choose(GZIP_FIRST), "the file itself, for now");
        assertEquals(1, counters.refusals.get());

        write("fits.txt", text(4000));
        assertEquals(Resolved.GzipOnTheFly.MADE, resolve("/fits.txt", null, GZIP_FIRST).onTheFly());
        assertEquals(Resolved.GzipOnTheFly.MADE, resolve("/fits.txt", null, GZIP_FIRST).onTheFly(),
                "the bound is given back after each compression");
        assertEquals(2, counters.made.get());
    }

    @Test
    void compressorsAreBoundedAndGivenBack() throws Exception {
        GzipCounters counters = new GzipCounters();
        chain = bounded(counters, 0, GzipContent.IN_FLIGHT_BUDGET);
        write("a.txt", text(5000));
        assertEquals(Resolved.GzipOnTheFly.ON_REQUEST, resolve("/a.txt", null, GZIP_FIRST).onTheFly(), "no compressor");
        assertEquals(1, counters.refusals.get());
        chain = bounded(counters, 1, GzipContent.IN_FLIGHT_BUDGET);
        for (int i = 0; i < 3; i++) {
            assertEquals(Resolved.GzipOnTheFly.MADE, resolve("/a.txt", null, GZIP_FIRST).onTheFly(), "run " + i);
        }
        assertEquals(1, counters.refusals.get());
    }

    @Test
    void offMeansOff() throws Exception {
        ServerConfig config = ServerConfig.builder(root).gzip(false).build();
        DiskContent disk = new DiskContent(new ServedTree(root, ServedTree.Options.DEFAULTS), helpers, config);
        chain = ContentSource.below(disk, config);
        write("a.json", text(5000));
        Resolved.Files files = resolve("/a.json", null, GZIP_FIRST);
        assertEquals(Resolved.GzipOnTheFly.NONE, files.onTheFly());
        assertNull(files.gzip());
    }
}
