package amped.fileio.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Opening beneath a directory descriptor: {@code openat2(2)} (Linux 5.6+, called through
 * {@code syscall(2)}, as glibc has no wrapper for it before 2.42) and plain {@code openat(2)}. Every open
 * here is {@code O_PATH | O_CLOEXEC}: it reads nothing, so it never blocks, not even on a FIFO, and it
 * needs no read permission (only search permission on the directories on the way).
 */
public final class OpenAt {

    /** {@code SYS_openat2}: the same number on x86_64 and aarch64. */
    private static final long SYS_OPENAT2 = 437;
    private static final long RESOLVE_NO_MAGICLINKS = 0x02;
    private static final long RESOLVE_NO_SYMLINKS = 0x04;
    private static final long RESOLVE_BENEATH = 0x08;
    private static final long OPEN_HOW_SIZE = 24;

    private OpenAt() {
    }

    /** The directory at {@code path}, for resolving beneath it: {@code O_PATH | O_DIRECTORY}. */
    public static Fd openDirectory(Path path) throws ErrnoException {
        return openat(-100 /* AT_FDCWD */, path.toString().getBytes(StandardCharsets.UTF_8),
                Native.O_PATH | Native.O_DIRECTORY | Native.O_CLOEXEC);
    }

    /**
     * {@code openat2(dir, path, O_PATH | O_CLOEXEC | O_NOFOLLOW, RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS)}:
     * the object at the relative {@code path} (components joined by "/", UTF-8) if no component of it,
     * the last one included, is a symbolic link and it does not leave {@code dir}. A final symbolic link is
     * opened as itself (the caller's stat sees it), any other one fails with ELOOP.
     *
     * @throws ErrnoException ENOSYS where the kernel lacks openat2, EAGAIN when a concurrent rename made
     *                        the kernel give up (try again), ELOOP, EXDEV, ENOENT, ENOTDIR, EACCES...
     */
    public static Fd openat2NoSymlinks(Fd dir, byte[] path) throws ErrnoException {
        dir.use();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment how = arena.allocate(OPEN_HOW_SIZE, 8);
            how.set(ValueLayout.JAVA_LONG, 0, Native.O_PATH | Native.O_CLOEXEC | Native.O_NOFOLLOW);
            how.set(ValueLayout.JAVA_LONG, 8, 0L);
            how.set(ValueLayout.JAVA_LONG, 16, RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
            MemorySegment state = Native.captureState(arena);
            long fd = (long) Native.SYSCALL.invokeExact(state, SYS_OPENAT2, (long) dir.number(),
                    Native.cString(arena, path), how, OPEN_HOW_SIZE);
            if (fd < 0) {
                throw new ErrnoException("openat2", Native.errno(state));
            }
            return new Fd((int) fd);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        } finally {
            dir.release();
        }
    }

    /** One component {@code name} in {@code dir}, not following it if it is a symbolic link. */
    public static Fd openNoFollow(Fd dir, byte[] name) throws ErrnoException {
        dir.use();
        try {
            return openat(dir.number(), name, Native.O_PATH | Native.O_NOFOLLOW | Native.O_CLOEXEC);
        } finally {
            dir.release();
        }
    }

    /**
     * The relative {@code path} in {@code dir}, following symbolic links wherever they lead: the caller
     * checks where the descriptor ended up.
     */
    public static Fd openFollowing(Fd dir, byte[] path) throws ErrnoException {
        dir.use();
        try {
            return openat(dir.number(), path, Native.O_PATH | Native.O_CLOEXEC);
        } finally {
            dir.release();
        }
    }

    /** The directory {@code dir} again, opened for reading its entries ({@code O_PATH} cannot be read). */
    static Fd openForListing(Fd dir) throws ErrnoException {
        dir.use();
        try {
            return openat(dir.number(), new byte[] {'.'}, Native.O_RDONLY | Native.O_DIRECTORY | Native.O_CLOEXEC);
        } finally {
            dir.release();
        }
    }

    private static Fd openat(int dirfd, byte[] path, int flags) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.captureState(arena);
            int fd = (int) Native.OPENAT.invokeExact(state, dirfd, Native.cString(arena, path), flags);
            if (fd < 0) {
                throw new ErrnoException("openat", Native.errno(state));
            }
            return new Fd(fd);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }
}
