package amped.fileio.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * The names in a directory as the file system has them, bytes (no charset between): {@code getdents64(2)}
 * on a descriptor of the directory opened for reading, beneath the {@code O_PATH} one that was resolved.
 */
public final class Dirents {

    private static final long BUFFER = 64 * 1024;
    /** {@code struct linux_dirent64}: u64 d_ino, s64 d_off, u16 d_reclen, u8 d_type, char d_name[]. */
    private static final long RECLEN = 16;
    private static final long NAME = 19;

    private static final MethodHandle GETDENTS64 = Native.AVAILABLE ? Native.downcallOrNull("getdents64",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG))
            : null;

    private Dirents() {
    }

    /** Whether names can be read this way here. */
    public static boolean available() {
        return GETDENTS64 != null;
    }

    /** Every name in the directory {@code dir}, except "." and "..". Unsorted. */
    public static List<byte[]> names(Fd dir) throws ErrnoException {
        List<byte[]> names = new ArrayList<>();
        try (Fd readable = OpenAt.openForListing(dir); Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(BUFFER, 8);
            MemorySegment state = Native.captureState(arena);
            readable.use();
            try {
                while (true) {
                    long n = (long) GETDENTS64.invokeExact(state, readable.number(), buf, BUFFER);
                    if (n < 0) {
                        throw new ErrnoException("getdents64", Native.errno(state));
                    }
                    if (n == 0) {
                        return names;
                    }
                    for (long at = 0; at < n; ) {
                        int reclen = Short.toUnsignedInt(buf.get(ValueLayout.JAVA_SHORT, at + RECLEN));
                        long start = at + NAME;
                        long end = start;
                        while (buf.get(ValueLayout.JAVA_BYTE, end) != 0) {
                            end++;
                        }
                        byte[] name = buf.asSlice(start, end - start).toArray(ValueLayout.JAVA_BYTE);
                        if (!isDotOrDotDot(name)) {
                            names.add(name);
                        }
                        at += reclen;
                    }
                }
            } finally {
                readable.release();
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static boolean isDotOrDotDot(byte[] name) {
        return (name.length == 1 && name[0] == '.') || (name.length == 2 && name[0] == '.' && name[1] == '.');
    }
}
