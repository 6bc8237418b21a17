package amped.fileio.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FdTest {

    @TempDir
    Path dir;

    @BeforeEach
    void needsTheNativeCalls() {
        Assumptions.assumeTrue(Native.AVAILABLE, "no native calls here");
    }

    @Test
    void aCloseWhileInUseTakesEffectWhenTheLastUserReleases() throws Exception {
        Fd fd = OpenAt.openDirectory(dir.toRealPath());
        Path proc = fd.procPath();
        assertEquals(dir.toRealPath(), Files.readSymbolicLink(proc));
        assertTrue(fd.acquire());
        assertTrue(fd.acquire());
        fd.close();
        assertFalse(fd.isOpen());
        assertFalse(fd.acquire(), "no new use after close");
        assertThrows(IllegalStateException.class, fd::use);
        fd.release();
        assertTrue(Files.exists(proc, java.nio.file.LinkOption.NOFOLLOW_LINKS), "still in use once");
        fd.release();
        assertFalse(Files.exists(proc, java.nio.file.LinkOption.NOFOLLOW_LINKS), "closed by the last release");
        fd.close(); // a second close does nothing
    }

    @Test
    void errnoIsCapturedByTheCall() throws Exception {
        try (Fd d = OpenAt.openDirectory(dir.toRealPath())) {
            ErrnoException e = assertThrows(ErrnoException.class,
                    () -> OpenAt.openNoFollow(d, "missing".getBytes(StandardCharsets.UTF_8)));
            assertEquals(ErrnoException.ENOENT, e.errno());
            Files.createSymbolicLink(dir.resolve("up"), Path.of(".."));
            e = assertThrows(ErrnoException.class,
                    () -> OpenAt.openat2NoSymlinks(d, "up/x".getBytes(StandardCharsets.UTF_8)));
            assertEquals(ErrnoException.ELOOP, e.errno());
            e = assertThrows(ErrnoException.class,
                    () -> OpenAt.openat2NoSymlinks(d, "../x".getBytes(StandardCharsets.UTF_8)));
            assertEquals(ErrnoException.EXDEV, e.errno());
            Files.writeString(dir.resolve("f"), "12345");
            try (Fd f = OpenAt.openat2NoSymlinks(d, "f".getBytes(StandardCharsets.UTF_8))) {
                FileStat st = FileStat.of(f);
                assertEquals(FileStat.S_IFREG, st.type());
                assertEquals(5, st.size());
                assertEquals(Files.getAttribute(dir.resolve("f"), "unix:ino"), st.inode());
                assertEquals(Files.getAttribute(dir.resolve("f"), "unix:dev"), st.device());
            }
        }
    }
}
