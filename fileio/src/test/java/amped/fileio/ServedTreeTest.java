package amped.fileio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import amped.fileio.ServedTree.Entry;
import amped.fileio.ServedTree.Options;
import amped.fileio.ServedTree.Resolution;
import amped.fileio.ServedTree.Resolution.Found;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ServedTree} on the real file system (links, FIFOs and permissions need it). The tree:
 *
 * <pre>
 * tmp/outside/secret.txt
 * tmp/outside/dir/inner.txt
 * tmp/root/index.html
 * tmp/root/dir/nested/file.txt
 * tmp/root/.hidden                  tmp/root/.git/config
 * tmp/root/link-in      -> index.html
 * tmp/root/link-dir     -> dir
 * tmp/root/link-out     -> ../outside/secret.txt
 * tmp/root/link-out-dir -> ../outside/dir
 * tmp/root/chain1       -> chain2 -> ../outside/secret.txt
 * tmp/root/link-dot     -> .hidden
 * tmp/root/link-git     -> .git/config
 * tmp/root/dangling     -> nowhere
 * tmp/root/loop-a       -> loop-b -> loop-a
 * tmp/root/fifo         (when mkfifo is there)
 * tmp/root/link-fifo    -> fifo
 * </pre>
 *
 * <p>The policy (issue 10): by default no component of a path may be a symbolic link; with links followed,
 * what they lead to must still be beneath the root. Run in the best mode this system has; the subclasses
 * run the same tests in the other modes ({@link ServedTreeWalkTest}, {@link ServedTreePathsTest}).
 */
class ServedTreeTest {

    static final Duration NEVER_BLOCKS = Duration.ofSeconds(5);

    @TempDir
    Path tmp;

    Path root;
    Path outside;
    boolean haveFifo;
    ExecutorService disk;

    @BeforeEach
    void setUp() throws Exception {
        disk = DiskHelpers.create(1);
        // the real path: the temp dir itself may be reached through a link
        tmp = tmp.toRealPath();
        outside = Files.createDirectory(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "secret");
        Files.createDirectory(outside.resolve("dir"));
        Files.writeString(outside.resolve("dir/inner.txt"), "inner");

        root = Files.createDirectory(tmp.resolve("root"));
        Files.writeString(root.resolve("index.html"), "<h1>hello</h1>");
        Files.createDirectories(root.resolve("dir/nested"));
        Files.writeString(root.resolve("dir/nested/file.txt"), "nested file");
        Files.writeString(root.resolve(".hidden"), "hidden");
        Files.createDirectory(root.resolve(".git"));
        Files.writeString(root.resolve(".git/config"), "[core]");

        link("link-in", "index.html");
        link("link-dir", "dir");
        link("link-out", "../outside/secret.txt");
        link("link-out-dir", "../outside/dir");
        link("chain1", "chain2");
        link("chain2", "../outside/secret.txt");
        link("link-dot", ".hidden");
        link("link-git", ".git/config");
        link("dangling", "nowhere");
        link("loop-a", "loop-b");
        link("loop-b", "loop-a");

        haveFifo = mkfifo(root.resolve("fifo"));
        if (haveFifo) {
            link("link-fifo", "fifo");
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        disk.shutdownNow();
        assertTrue(disk.awaitTermination(10, TimeUnit.SECONDS));
    }

    void link(String name, String target) throws IOException {
        Files.createSymbolicLink(root.resolve(name), Paths.get(target));
    }

    static boolean mkfifo(Path p) {
        try {
            Process mk = new ProcessBuilder("mkfifo", p.toString()).redirectErrorStream(true).start();
            return mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0 && Files.exists(p);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether this process runs as uid 0 (which reads and searches everything): the owner of a new file. */
    boolean isRoot() throws IOException {
        Path probe = Files.createTempFile(tmp, "uid", "");
        return ((Integer) Files.getAttribute(probe, "unix:uid")) == 0;
    }

    /** The mode the trees of this test run in; null: the best this system has. */
    ServedTree.Mode mode() {
        return null;
    }

    ServedTree tree(Path root, Options options) throws IOException {
        ServedTree tree = new ServedTree(root, options, mode());
        if (mode() != null) {
            assertEquals(mode(), tree.mode());
        }
        return tree;
    }

    ServedTree tree(boolean showHidden, boolean followSymlinks) throws IOException {
        return tree(root, new Options(showHidden, followSymlinks));
    }

    ServedTree tree() throws IOException {
        return tree(root, Options.DEFAULTS);
    }

    /** Whether files are held by descriptor (race-proof), not by path. */
    boolean byDescriptor() throws IOException {
        return tree().mode() != ServedTree.Mode.PATHS;
    }

    static FileHandle dirHandle(ServedTree tree, String path) throws IOException {
        Found f = found(tree, path);
        assertTrue(f.info().isDirectory(), path);
        return f.handle();
    }

    static List<String> segs(String path) {
        return path.isEmpty() ? List.of() : Arrays.asList(path.split("/"));
    }

    static Found found(ServedTree tree, String path) throws IOException {
        Resolution r = tree.resolve(segs(path));
        return assertInstanceOf(Found.class, r, path + " should be found, was " + r);
    }

    static void notFound(ServedTree tree, String path) throws IOException {
        Resolution r = tree.resolve(segs(path));
        assertInstanceOf(Resolution.NotFound.class, r, path + " should not be found, was " + r);
    }

    // ---- the root ----

    @Test
    void theRootMustBeAnExistingDirectory() throws Exception {
        assertThrows(NotDirectoryException.class, () -> tree(root.resolve("index.html"), Options.DEFAULTS));
        assertThrows(NoSuchFileException.class, () -> tree(root.resolve("missing"), Options.DEFAULTS));
        assertThrows(IOException.class, () -> tree(root.resolve("dangling"), Options.DEFAULTS));
        // a root reached through a link is kept as its real path, which containment is checked against
        ServedTree viaLink = tree(root.resolve("link-dir"), Options.DEFAULTS);
        assertEquals(root.resolve("dir"), viaLink.root());
        assertEquals(root, tree().root());
        assertEquals(Options.DEFAULTS, tree().options());
    }

    // ---- resolve ----

    @Test
    void resolvesRegularFilesDirectoriesAndNestedPaths() throws Exception {
        ServedTree tree = tree();

        Found index = found(tree, "index.html");
        assertEquals(root.resolve("index.html"), index.path());
        assertEquals(FileInfo.Kind.REGULAR, index.info().kind());
        assertEquals(Files.size(root.resolve("index.html")), index.info().size());

        Found dir = found(tree, "dir");
        assertEquals(FileInfo.Kind.DIRECTORY, dir.info().kind());
        assertEquals(root.resolve("dir"), dir.path());

        Found rootDir = found(tree, "");
        assertEquals(root, rootDir.path());
        assertTrue(rootDir.info().isDirectory());

        Found nested = found(tree, "dir/nested/file.txt");
        assertEquals(root.resolve("dir/nested/file.txt"), nested.path());
        assertEquals("nested file".length(), nested.info().size());
    }

    @Test
    void missingPathsAreNotFound() throws Exception {
        ServedTree tree = tree();
        notFound(tree, "missing");
        notFound(tree, "dir/missing");
        notFound(tree, "missing/deeper/still");
        // a file used as a directory
        notFound(tree, "index.html/x");
        notFound(tree, "dangling");
        // a loop of links (ELOOP)
        notFound(tree, "loop-a");
    }

    @Test
    void dotfilesAreNotFoundUnlessShown() throws Exception {
        ServedTree hiding = tree();
        notFound(hiding, ".hidden");
        notFound(hiding, ".git");
        notFound(hiding, ".git/config");
        notFound(hiding, ".missing");

        ServedTree showing = tree(true, false);
        assertEquals(root.resolve(".hidden"), found(showing, ".hidden").path());
        assertTrue(found(showing, ".git").info().isDirectory());
        assertEquals("[core]".length(), found(showing, ".git/config").info().size());
    }

    @Test
    void aLinkInsideTheRootIsNotFoundByDefault() throws Exception {
        // issue 10: no symbolic link anywhere in the path (nginx's disable_symlinks on); before, a link that
        // stayed inside the root was served as its target
        ServedTree tree = tree();
        notFound(tree, "link-in");
        notFound(tree, "link-dir");
        notFound(tree, "link-dir/nested/file.txt");
        notFound(tree(true, false), "link-in");
    }

    @Test
    void aLinkInsideTheRootIsServedAsItsTargetWhenLinksAreFollowed() throws Exception {
        ServedTree tree = tree(false, true);
        Found viaLink = found(tree, "link-in");
        assertEquals(root.resolve("index.html"), viaLink.path());
        assertEquals(FileInfo.Kind.REGULAR, viaLink.info().kind());

        Found throughLinkedDir = found(tree, "link-dir/nested/file.txt");
        assertEquals(root.resolve("dir/nested/file.txt"), throughLinkedDir.path());
        assertTrue(found(tree, "link-dir").info().isDirectory());
    }

    @Test
    void aLinkLeadingOutOfTheRootIsNotFoundEvenWhenLinksAreFollowed() throws Exception {
        ServedTree tree = tree();
        notFound(tree, "link-out");
        notFound(tree, "link-out-dir");
        notFound(tree, "link-out-dir/inner.txt");
        notFound(tree, "chain1");
        notFound(tree, "chain2");

        // issue 10: followed links must still lead beneath the root (before, they were served)
        ServedTree following = tree(false, true);
        notFound(following, "link-out");
        notFound(following, "link-out-dir");
        notFound(following, "link-out-dir/inner.txt");
        notFound(following, "chain1");
        notFound(following, "chain2");
    }

    @Test
    void aLinkToAHiddenFileInsideTheRootIsNotFoundUnlessShown() throws Exception {
        ServedTree tree = tree();
        notFound(tree, "link-dot");
        notFound(tree, "link-git");
        // following links does not show dotfiles inside the tree
        notFound(tree(false, true), "link-dot");

        // issue 10: a link is not followed by default, shown or not (before, tree(true, false) found them)
        notFound(tree(true, false), "link-dot");
        ServedTree showing = tree(true, true);
        assertEquals(root.resolve(".hidden"), found(showing, "link-dot").path());
        assertEquals(root.resolve(".git/config"), found(showing, "link-git").path());
    }

    @Test
    void aRootBelowADotDirectoryStillServes() throws Exception {
        // only what is below the root counts as hidden
        Path dotted = Files.createDirectories(tmp.resolve(".site/www"));
        Files.writeString(dotted.resolve("a.txt"), "a");
        Files.createSymbolicLink(dotted.resolve("link"), Paths.get("a.txt"));
        ServedTree tree = tree(dotted, Options.DEFAULTS);
        assertEquals(dotted.resolve("a.txt"), found(tree, "a.txt").path());
        assertEquals(List.of("a.txt"), names(tree.list(dirHandle(tree, ""))));
        // the link only when links are followed (issue 10; before, by default too)
        ServedTree following = tree(dotted, new Options(false, true));
        assertEquals(dotted.resolve("a.txt"), found(following, "link").path());
        assertEquals(List.of("a.txt", "link"), names(following.list(dirHandle(following, ""))));
    }

    @Test
    void aSiblingWithTheRootAsPrefixIsOutside() throws Exception {
        // "/tmp/x/root2" starts with the characters of "/tmp/x/root" but is not inside it
        Path sibling = Files.createDirectory(tmp.resolve("root2"));
        Files.writeString(sibling.resolve("s.txt"), "s");
        link("to-sibling", "../root2/s.txt");
        notFound(tree(), "to-sibling");
        notFound(tree(false, true), "to-sibling");
    }

    @Test
    void aFifoIsNotFoundAndNeverBlocks() throws Exception {
        Assumptions.assumeTrue(haveFifo, "mkfifo is not available");
        ServedTree tree = tree();
        assertTimeoutPreemptively(NEVER_BLOCKS, () -> {
            notFound(tree, "fifo");
            notFound(tree, "link-fifo");
        });
    }

    @Test
    void aDeviceIsNotFoundEvenWhenLinksAreFollowed() throws Exception {
        Path devNull = Paths.get("/dev/null");
        Assumptions.assumeTrue(Files.exists(devNull));
        link("null", "/dev/null");
        try {
            assertTimeoutPreemptively(NEVER_BLOCKS, () -> notFound(tree(false, true), "null"));
        } finally {
            Files.delete(root.resolve("null"));
        }
    }

    @Test
    void anUnreadableFileIsForbiddenOrCannotBeOpened() throws Exception {
        Assumptions.assumeFalse(isRoot(), "root reads every file");
        Path locked = root.resolve("locked.txt");
        Files.writeString(locked, "locked");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        Assumptions.assumeFalse(Files.isReadable(locked), "permissions are not enforced here");
        ServedTree tree = tree();
        Resolution r = tree.resolve(List.of("locked.txt"));
        if (r instanceof Found f) {
            assertThrows(java.nio.file.AccessDeniedException.class, () -> tree.open(f.handle(), disk).close());
        } else {
            assertInstanceOf(Resolution.Forbidden.class, r);
        }
    }

    @Test
    void aFileInAnUnsearchableDirectoryIsForbidden() throws Exception {
        Assumptions.assumeFalse(isRoot(), "root searches every directory");
        Path closed = Files.createDirectory(root.resolve("closed"));
        Files.writeString(closed.resolve("f.txt"), "f");
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("---------"));
        try {
            Assumptions.assumeFalse(Files.isReadable(closed), "permissions are not enforced here");
            assertInstanceOf(Resolution.Forbidden.class, tree().resolve(List.of("closed", "f.txt")));
        } finally {
            Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
        }
    }

    // ---- freshVariant ----

    Found withVariant(String name, Instant fileTime) throws IOException {
        Path file = root.resolve(name);
        Files.writeString(file, "plain plain plain");
        Files.setLastModifiedTime(file, FileTime.from(fileTime));
        return found(tree(), name);
    }

    static final Instant T = Instant.parse("2024-05-06T07:08:09.123456789Z");

    @Test
    void aNewerVariantIsReturned() throws Exception {
        Found file = withVariant("a.txt", T);
        Path gz = Files.write(root.resolve("a.txt.gz"), new byte[] {31, -117, 8});
        Files.setLastModifiedTime(gz, FileTime.from(T.plusSeconds(1)));

        Found v = tree().freshVariant(file, ".gz");
        assertNotNull(v);
        assertEquals(gz, v.path());
        assertEquals(3, v.info().size());
        assertTrue(v.info().isRegularFile());
    }

    @Test
    void aVariantAsOldAsTheFileIsReturnedAndAnOlderOneIsNot() throws Exception {
        Found file = withVariant("a.txt", T);
        Path gz = Files.writeString(root.resolve("a.txt.gz"), "gz");
        Files.setLastModifiedTime(gz, FileTime.from(T));
        assertNotNull(tree().freshVariant(file, ".gz"));

        Files.setLastModifiedTime(gz, FileTime.from(T.minusSeconds(1)));
        assertNull(tree().freshVariant(file, ".gz"));
        // a nanosecond older is older (where the file system keeps nanoseconds)
        Files.setLastModifiedTime(gz, FileTime.from(T.minusNanos(1000)));
        Assumptions.assumeTrue(Files.getLastModifiedTime(gz).toInstant().equals(T.minusNanos(1000)));
        assertNull(tree().freshVariant(file, ".gz"));
    }

    @Test
    void aMissingVariantIsNull() throws Exception {
        Found file = withVariant("a.txt", T);
        assertNull(tree().freshVariant(file, ".gz"));
        assertNull(tree().freshVariant(file, ".br"));
    }

    @Test
    void aVariantThatIsADirectoryIsNull() throws Exception {
        Found file = withVariant("a.txt", T);
        Path gz = Files.createDirectory(root.resolve("a.txt.gz"));
        Files.setLastModifiedTime(gz, FileTime.from(T.plusSeconds(10)));
        assertNull(tree().freshVariant(file, ".gz"));
    }

    @Test
    void aVariantThatIsAFifoIsNullAndNeverBlocks() throws Exception {
        Assumptions.assumeTrue(haveFifo, "mkfifo is not available");
        Found file = withVariant("a.txt", T);
        // made now, so newer than the file (setting its time would open the FIFO, and block)
        assertTrue(mkfifo(root.resolve("a.txt.gz")));
        ServedTree tree = tree();
        assertTimeoutPreemptively(NEVER_BLOCKS, () -> assertNull(tree.freshVariant(file, ".gz")));
    }

    @Test
    void aVariantLinkLeadingOutOfTheRootIsNull() throws Exception {
        Found file = withVariant("a.txt", T);
        Path target = outside.resolve("a.txt.gz");
        Files.writeString(target, "outside gz");
        Files.setLastModifiedTime(target, FileTime.from(T.plusSeconds(10)));
        link("a.txt.gz", "../outside/a.txt.gz");

        assertNull(tree().freshVariant(file, ".gz"));
        // issue 10: not even when links are followed (before, it was served as its target)
        assertNull(tree(false, true).freshVariant(file, ".gz"));
    }

    @Test
    void aVariantLinkInsideTheRootIsReturnedAsItsTargetOnlyWhenLinksAreFollowed() throws Exception {
        Found file = withVariant("a.txt", T);
        Path target = Files.writeString(root.resolve("dir/a.gz"), "inside gz");
        Files.setLastModifiedTime(target, FileTime.from(T.plusSeconds(10)));
        link("a.txt.gz", "dir/a.gz");

        // issue 10: no link by default (before, returned as its target)
        assertNull(tree().freshVariant(file, ".gz"));
        Found v = tree(false, true).freshVariant(file, ".gz");
        assertNotNull(v);
        assertEquals(target, v.path());
        assertEquals("inside gz".length(), v.info().size());

        // its target's age counts, not the link's
        Files.setLastModifiedTime(target, FileTime.from(T.minusSeconds(10)));
        assertNull(tree(false, true).freshVariant(file, ".gz"));
    }

    @Test
    void aVariantLinkToAHiddenFileOrNowhereIsNull() throws Exception {
        Found file = withVariant("a.txt", T);
        Files.setLastModifiedTime(root.resolve(".hidden"), FileTime.from(T.plusSeconds(10)));
        link("a.txt.gz", ".hidden");
        assertNull(tree().freshVariant(file, ".gz"));
        // issue 10: a link needs links followed (before, tree(true, false) returned it)
        assertNull(tree(true, false).freshVariant(file, ".gz"));
        assertNotNull(tree(true, true).freshVariant(file, ".gz"));

        link("a.txt.br", "nowhere");
        assertNull(tree().freshVariant(file, ".br"));
    }

    // ---- open ----

    @Test
    void opensAResolvedFile() throws Exception {
        Found index = found(tree(), "index.html");
        try (AsynchronousFileChannel c = tree().open(index.handle(), disk)) {
            ByteBuffer b = ByteBuffer.allocate(100);
            int n = c.read(b, 0).get(10, TimeUnit.SECONDS);
            assertEquals("<h1>hello</h1>", new String(b.array(), 0, n, StandardCharsets.UTF_8));
        }
    }

    @Test
    void openRefusesAFileSwappedForALinkAfterItWasResolved() throws Exception {
        Path a = Files.writeString(root.resolve("a.txt"), "the resolved file");
        Files.writeString(outside.resolve("other.txt"), "SOMETHING ELSE");
        ServedTree tree = tree();
        Found resolved = found(tree, "a.txt");

        Files.delete(a);
        Files.createSymbolicLink(a, outside.resolve("other.txt"));

        if (byDescriptor()) {
            // the descriptor still names the file that was resolved: that is what is read, never the link
            try (AsynchronousFileChannel c = tree.open(resolved.handle(), disk)) {
                ByteBuffer b = ByteBuffer.allocate(100);
                int n = c.read(b, 0).get(10, TimeUnit.SECONDS);
                assertEquals("the resolved file", new String(b.array(), 0, n, StandardCharsets.UTF_8));
            }
            return;
        }
        // ELOOP from O_NOFOLLOW: the JDK reports it as a plain IOException ("Too many levels of symbolic
        // links (NOFOLLOW_LINKS specified)"), not as a FileSystemException
        IOException e = assertThrows(IOException.class, () -> {
            AsynchronousFileChannel c = tree.open(resolved.handle(), disk);
            ByteBuffer b = ByteBuffer.allocate(100);
            int n = c.read(b, 0).get(10, TimeUnit.SECONDS);
            c.close();
            fail("opened through the link and read " + new String(b.array(), 0, n, StandardCharsets.UTF_8));
        });
        assertFalse(e instanceof NoSuchFileException, e.toString());
    }

    // ---- list ----

    static List<String> names(List<Entry> entries) {
        return entries.stream().map(Entry::name).sorted().toList();
    }

    static Map<String, Entry> byName(List<Entry> entries) {
        return entries.stream().collect(Collectors.toMap(Entry::name, Function.identity()));
    }

    @Test
    void listsWhatThePolicyShows() throws Exception {
        ServedTree tree = tree();
        List<Entry> entries = tree.list(dirHandle(tree, ""));
        // issue 10: no links by default (before, link-dir and link-in were listed as their targets)
        assertEquals(List.of("dir", "index.html"), names(entries));

        Map<String, Entry> m = byName(entries);
        Entry index = m.get("index.html");
        assertFalse(index.directory());
        assertEquals(Files.size(root.resolve("index.html")), index.size());
        assertEquals(Files.getLastModifiedTime(root.resolve("index.html")).toMillis(), index.lastModifiedMillis());
        assertTrue(m.get("dir").directory());
    }

    @Test
    void listsHiddenEntriesWhenShown() throws Exception {
        ServedTree tree = tree(true, false);
        List<Entry> entries = tree.list(dirHandle(tree, ""));
        // issue 10: no links by default (before, link-dir, link-dot, link-git and link-in were listed)
        assertEquals(List.of(".git", ".hidden", "dir", "index.html"), names(entries));
        assertTrue(byName(entries).get(".git").directory());
        ServedTree following = tree(true, true);
        entries = following.list(dirHandle(following, ""));
        assertEquals(List.of(".git", ".hidden", "dir", "index.html", "link-dir", "link-dot", "link-git", "link-in"),
                names(entries));
        assertEquals("hidden".length(), byName(entries).get("link-dot").size());
    }

    @Test
    void listsLinksLeadingInsideWhenFollowed() throws Exception {
        ServedTree tree = tree(false, true);
        List<Entry> entries = tree.list(dirHandle(tree, ""));
        // still no dangling link, loop, FIFO or hidden file; issue 10: and no link leading out (before,
        // chain1, chain2, link-out and link-out-dir were listed)
        assertEquals(List.of("dir", "index.html", "link-dir", "link-in"), names(entries));
        Map<String, Entry> m = byName(entries);
        // a link is listed as what it leads to
        assertTrue(m.get("link-dir").directory());
        assertFalse(m.get("link-in").directory());
        assertEquals(m.get("index.html").size(), m.get("link-in").size());
    }

    @Test
    void listingSkipsFifosAndNeverBlocks() throws Exception {
        Assumptions.assumeTrue(haveFifo, "mkfifo is not available");
        ServedTree tree = tree(true, true);
        List<Entry> entries = assertTimeoutPreemptively(NEVER_BLOCKS, () -> tree.list(dirHandle(tree, "")));
        assertFalse(names(entries).contains("fifo"));
        assertFalse(names(entries).contains("link-fifo"));
        assertFalse(names(entries).contains("dangling"));
        assertFalse(names(entries).contains("loop-a"));
    }

    @Test
    void listsANestedDirectory() throws Exception {
        Files.writeString(root.resolve("dir/.dot"), "x");
        Files.writeString(root.resolve("dir/b.txt"), "bbb");
        ServedTree tree = tree();
        List<Entry> entries = tree.list(dirHandle(tree, "dir"));
        assertEquals(List.of("b.txt", "nested"), names(entries));
        assertEquals(3, byName(entries).get("b.txt").size());
        assertTrue(byName(entries).get("nested").directory());
        assertEquals(List.of("file.txt"), names(tree.list(dirHandle(tree, "dir/nested"))));
    }

    @Test
    void listingADirectoryRemovedSinceItWasResolvedShowsNothingOrThrows() throws Exception {
        // (before: listing a missing path threw; a listing now takes a resolved directory)
        Path gone = Files.createDirectory(root.resolve("gone"));
        ServedTree tree = tree();
        FileHandle handle = dirHandle(tree, "gone");
        Files.delete(gone);
        try {
            assertEquals(List.of(), tree.list(handle));
        } catch (IOException e) {
            assertFalse(byDescriptor(), "by descriptor the removed directory is still there, empty: " + e);
        }
    }
}
