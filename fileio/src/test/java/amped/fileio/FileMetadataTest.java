package amped.fileio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileMetadataTest {

    static final Instant T = Instant.parse("2023-01-02T03:04:05.123456789Z");

    @TempDir
    Path tmp;

    static long nanos(Path p) throws IOException {
        return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).to(TimeUnit.NANOSECONDS);
    }

    // ---- the real file system (the unix view) ----

    @Test
    void aRegularFile() throws Exception {
        Path f = Files.write(tmp.resolve("f.bin"), new byte[1234]);
        Files.setLastModifiedTime(f, FileTime.from(T));

        FileInfo info = FileMetadata.read(f);

        assertEquals(FileInfo.Kind.REGULAR, info.kind());
        assertTrue(info.isRegularFile());
        assertFalse(info.isDirectory());
        assertEquals(1234, info.size());
        assertEquals(nanos(f), info.lastModifiedNanos());
        assertEquals(Files.getLastModifiedTime(f).toMillis(), info.lastModifiedMillis());
        // where the file system keeps nanoseconds, all of them arrive
        Assumptions.assumeTrue(Files.getLastModifiedTime(f).toInstant().equals(T), "no nanosecond times here");
        assertEquals(T.getEpochSecond() * 1_000_000_000L + T.getNano(), info.lastModifiedNanos());
        assertEquals(T.toEpochMilli(), info.lastModifiedMillis());
    }

    @Test
    void anEmptyFile() throws Exception {
        FileInfo info = FileMetadata.read(Files.createFile(tmp.resolve("empty")));
        assertEquals(FileInfo.Kind.REGULAR, info.kind());
        assertEquals(0, info.size());
    }

    @Test
    void millisecondsRoundDownBeforeTheEpoch() throws Exception {
        // 1969-12-31T23:59:59.9995Z is in millisecond -1, not 0
        assertEquals(-1, new FileInfo(FileInfo.Kind.REGULAR, 0, -500_000L, 1).lastModifiedMillis());
        assertEquals(0, new FileInfo(FileInfo.Kind.REGULAR, 0, 999_999L, 1).lastModifiedMillis());
        assertEquals(-2, new FileInfo(FileInfo.Kind.REGULAR, 0, -1_000_001L, 1).lastModifiedMillis());

        Path f = Files.createFile(tmp.resolve("old"));
        Files.setLastModifiedTime(f, FileTime.from(Instant.parse("1969-12-31T23:59:59.999500Z")));
        Assumptions.assumeTrue(nanos(f) < 0, "this file system keeps no time before the epoch");
        FileInfo info = FileMetadata.read(f);
        assertEquals(nanos(f), info.lastModifiedNanos());
        assertEquals(-1, info.lastModifiedMillis());
    }

    @Test
    void aDirectory() throws Exception {
        Path d = Files.createDirectory(tmp.resolve("d"));
        FileInfo info = FileMetadata.read(d);
        assertEquals(FileInfo.Kind.DIRECTORY, info.kind());
        assertTrue(info.isDirectory());
        assertFalse(info.isRegularFile());
        assertEquals(nanos(d), info.lastModifiedNanos());
    }

    @Test
    void aSymlinkIsNotFollowed() throws Exception {
        Path target = Files.write(tmp.resolve("target.bin"), new byte[5000]);
        Path link = Files.createSymbolicLink(tmp.resolve("link"), Paths.get("target.bin"));
        Path dirLink = Files.createSymbolicLink(tmp.resolve("dirlink"), tmp);
        Path dangling = Files.createSymbolicLink(tmp.resolve("dangling"), Paths.get("nowhere"));

        FileInfo info = FileMetadata.read(link);
        assertEquals(FileInfo.Kind.SYMLINK, info.kind());
        assertFalse(info.isRegularFile());
        // the link's own size: the length of what it holds
        assertEquals("target.bin".length(), info.size());
        assertNotEquals(FileMetadata.read(target).identity(), info.identity());
        assertEquals(FileInfo.Kind.SYMLINK, FileMetadata.read(dirLink).kind());
        assertEquals(FileInfo.Kind.SYMLINK, FileMetadata.read(dangling).kind());
    }

    @Test
    void aFifoIsOtherAndNeverOpened() throws Exception {
        Path fifo = tmp.resolve("fifo");
        Assumptions.assumeTrue(ServedTreeTest.mkfifo(fifo), "mkfifo is not available");
        FileInfo info = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> FileMetadata.read(fifo));
        assertEquals(FileInfo.Kind.OTHER, info.kind());
        assertFalse(info.isRegularFile());
        assertFalse(info.isDirectory());
    }

    @Test
    void aDeviceIsOther() throws Exception {
        Path devNull = Paths.get("/dev/null");
        Assumptions.assumeTrue(Files.exists(devNull));
        assertEquals(FileInfo.Kind.OTHER, FileMetadata.read(devNull).kind());
    }

    @Test
    void aMissingFileThrows() {
        assertThrows(NoSuchFileException.class, () -> FileMetadata.read(tmp.resolve("missing")));
    }

    @Test
    void theIdentityIsTheInode() throws Exception {
        Path a = Files.writeString(tmp.resolve("a"), "a");
        Path b = Files.writeString(tmp.resolve("b"), "a");
        Path hard = Files.createLink(tmp.resolve("hard"), a);

        long id = FileMetadata.read(a).identity();
        assertEquals(((Number) Files.getAttribute(a, "unix:ino")).longValue(), id);
        assertEquals(id, FileMetadata.read(a).identity(), "stable across calls");
        assertEquals(id, FileMetadata.read(hard).identity(), "a hard link is the same file");
        assertNotEquals(id, FileMetadata.read(b).identity(), "same content, another file");
        Path copy = Files.copy(a, tmp.resolve("copy"));
        assertNotEquals(id, FileMetadata.read(copy).identity());

        // rewritten in place: still the same file
        Files.writeString(a, "changed");
        assertEquals(id, FileMetadata.read(a).identity());
        assertEquals("changed".length(), FileMetadata.read(hard).size());
    }

    // ---- Jimfs: no unix view, the basic attributes' fallback ----

    @Test
    void jimfsFallsBackToTheBasicView() throws Exception {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            assertFalse(fs.supportedFileAttributeViews().contains("unix"), "the fallback is what is tested here");
            Path dir = Files.createDirectories(fs.getPath("/srv/site"));
            Path f = Files.write(dir.resolve("f.bin"), new byte[777]);
            Files.setLastModifiedTime(f, FileTime.from(T));
            Path g = Files.write(dir.resolve("g.bin"), new byte[777]);
            Path hard = Files.createLink(dir.resolve("hard"), f);
            Path link = Files.createSymbolicLink(dir.resolve("link"), fs.getPath("f.bin"));

            FileInfo info = FileMetadata.read(f);
            assertEquals(FileInfo.Kind.REGULAR, info.kind());
            assertEquals(777, info.size());
            assertEquals(nanos(f), info.lastModifiedNanos());
            assertEquals(T.getEpochSecond() * 1_000_000_000L + T.getNano(), info.lastModifiedNanos());

            assertEquals(FileInfo.Kind.DIRECTORY, FileMetadata.read(dir).kind());
            assertEquals(FileInfo.Kind.SYMLINK, FileMetadata.read(link).kind());

            assertEquals(info.identity(), FileMetadata.read(f).identity());
            assertEquals(info.identity(), FileMetadata.read(hard).identity());
            assertNotEquals(info.identity(), FileMetadata.read(g).identity());
            assertNotEquals(info.identity(), FileMetadata.read(link).identity());

            assertThrows(NoSuchFileException.class, () -> FileMetadata.read(dir.resolve("missing")));
        }
    }

    @Test
    void jimfsWithAUnixView() throws Exception {
        // a file system that has a "unix" view but is not the JDK's: its values must be read as they are
        Configuration config = Configuration.unix().toBuilder()
                .setAttributeViews("basic", "owner", "posix", "unix").build();
        try (FileSystem fs = Jimfs.newFileSystem(config)) {
            Assumptions.assumeTrue(fs.supportedFileAttributeViews().contains("unix"));
            Path dir = Files.createDirectories(fs.getPath("/srv"));
            Path f = Files.write(dir.resolve("f.bin"), new byte[42]);
            Path g = Files.write(dir.resolve("g.bin"), new byte[42]);
            Path link = Files.createSymbolicLink(dir.resolve("link"), fs.getPath("f.bin"));
            Path hard = Files.createLink(dir.resolve("hard"), f);

            FileInfo info = FileMetadata.read(f);
            assertEquals(FileInfo.Kind.REGULAR, info.kind());
            assertEquals(42, info.size());
            assertEquals(info.identity(), FileMetadata.read(hard).identity());
            assertEquals(nanos(f), info.lastModifiedNanos());
            assertEquals(FileInfo.Kind.DIRECTORY, FileMetadata.read(dir).kind());
            assertEquals(FileInfo.Kind.SYMLINK, FileMetadata.read(link).kind());
            assertEquals(info.identity(), FileMetadata.read(f).identity());
            assertNotEquals(info.identity(), FileMetadata.read(g).identity());
        }
    }
}
