package amped.fileio.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * What {@code fstat} says of a descriptor, through {@code statx(fd, "", AT_EMPTY_PATH)}: the same answer
 * (it works on {@code O_PATH} descriptors too), but one {@code struct statx} layout on every architecture,
 * where {@code struct stat} differs between x86_64 and aarch64.
 *
 * @param mode        file type and permission bits ({@code st_mode})
 * @param mtimeNanos  modification time, nanoseconds since the epoch
 * @param ctimeNanos  status change time, nanoseconds since the epoch (changes on every write or chmod,
 *                    whatever the modification time is set back to)
 * @param device      {@code st_dev} as glibc encodes it ({@code makedev(major, minor)})
 */
public record FileStat(int mode, long size, long mtimeNanos, long ctimeNanos, long inode, long device) {

    public static final int S_IFMT = 0170000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFLNK = 0120000;

    private static final int AT_EMPTY_PATH = 0x1000;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int STATX_BASIC_STATS = 0x7ff;
    private static final long STATX_SIZE = 256;

    public int type() {
        return mode & S_IFMT;
    }

    /** fstat of an open descriptor. */
    public static FileStat of(Fd fd) throws ErrnoException {
        fd.use();
        try {
            return statx(fd.number(), new byte[0], AT_EMPTY_PATH);
        } finally {
            fd.release();
        }
    }

    /** lstat of {@code name} in the directory {@code dir}: a symbolic link is described, not followed. */
    public static FileStat ofEntry(Fd dir, byte[] name) throws ErrnoException {
        dir.use();
        try {
            return statx(dir.number(), name, AT_SYMLINK_NOFOLLOW);
        } finally {
            dir.release();
        }
    }

    private static FileStat statx(int dirfd, byte[] path, int flags) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(STATX_SIZE, 8);
            MemorySegment state = Native.captureState(arena);
            int rc = (int) Native.STATX.invokeExact(state, dirfd, Native.cString(arena, path), flags,
                    STATX_BASIC_STATS, buf);
            if (rc != 0) {
                throw new ErrnoException("statx", Native.errno(state));
            }
            int mode = Short.toUnsignedInt(buf.get(ValueLayout.JAVA_SHORT, 28));
            long inode = buf.get(ValueLayout.JAVA_LONG, 32);
            long size = buf.get(ValueLayout.JAVA_LONG, 40);
            long ctime = nanos(buf, 96);
            long mtime = nanos(buf, 112);
            long major = Integer.toUnsignedLong(buf.get(ValueLayout.JAVA_INT, 136));
            long minor = Integer.toUnsignedLong(buf.get(ValueLayout.JAVA_INT, 140));
            return new FileStat(mode, size, mtime, ctime, inode, makedev(major, minor));
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** A {@code struct statx_timestamp} (s64 seconds, u32 nanoseconds) at {@code offset}. */
    private static long nanos(MemorySegment buf, long offset) {
        long seconds = buf.get(ValueLayout.JAVA_LONG, offset);
        long nanos = Integer.toUnsignedLong(buf.get(ValueLayout.JAVA_INT, offset + 8));
        return seconds * 1_000_000_000L + nanos;
    }

    /** glibc's {@code gnu_dev_makedev}, so the device matches what the JDK's stat reports. */
    static long makedev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8)
                | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
    }
}
