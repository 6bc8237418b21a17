package amped.fileio.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Locale;

/**
 * The C library's linker and symbols, the {@code errno} capture and the constants that differ by
 * architecture. Whether any of it may be used is {@link #AVAILABLE}, decided once.
 */
public final class Native {

    /** Linux on x86_64 or aarch64, every symbol found, and the downcalls made. */
    public static final boolean AVAILABLE;

    static final Linker LINKER = Linker.nativeLinker();
    static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    // open(2) flags: O_DIRECTORY and O_NOFOLLOW are where the two architectures differ
    static final int O_RDONLY = 0;
    static final int O_PATH = 0x200000;
    static final int O_CLOEXEC = 0x80000;
    static final int O_DIRECTORY;
    static final int O_NOFOLLOW;

    static final MethodHandle SYSCALL;   // long syscall(long number, ...)
    static final MethodHandle OPENAT;    // int openat(int dirfd, const char *path, int flags, ...)
    static final MethodHandle CLOSE;     // int close(int fd)
    static final MethodHandle STATX;     // int statx(int dirfd, const char *path, int flags, unsigned mask, struct statx *)

    static {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        boolean linux = os.equals("linux");
        boolean x86 = arch.equals("amd64") || arch.equals("x86_64");
        boolean arm = arch.equals("aarch64");
        O_DIRECTORY = x86 ? 0x10000 : 0x4000;
        O_NOFOLLOW = x86 ? 0x20000 : 0x8000;
        MethodHandle syscall = null;
        MethodHandle openat = null;
        MethodHandle close = null;
        MethodHandle statx = null;
        boolean ok = false;
        if (linux && (x86 || arm)) {
            try {
                Linker.Option errno = Linker.Option.captureCallState("errno");
                syscall = downcall("syscall", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
                        errno, Linker.Option.firstVariadicArg(1));
                openat = downcall("openat", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_INT), errno);
                close = downcall("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), errno);
                statx = downcall("statx", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS), errno);
                ok = true;
            } catch (Throwable unavailable) {
                // no such symbol, or native access denied (--illegal-native-access=deny): the portable path
                ok = false;
            }
        }
        SYSCALL = syscall;
        OPENAT = openat;
        CLOSE = close;
        STATX = statx;
        AVAILABLE = ok;
    }

    private Native() {
    }

    @SuppressWarnings("restricted") // this package is where the restricted calls are
    private static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("no symbol " + name));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    /** A downcall that captures errno, or null where the symbol is missing (for optional calls). */
    static MethodHandle downcallOrNull(String name, FunctionDescriptor descriptor) {
        try {
            return downcall(name, descriptor, Linker.Option.captureCallState("errno"));
        } catch (Throwable missing) {
            return null;
        }
    }

    /** A segment for the captured call state, to pass as a downcall's first argument. */
    static MemorySegment captureState(Arena arena) {
        return arena.allocate(CAPTURE);
    }

    static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /** A NUL-terminated copy of a name's bytes (names are passed as bytes: UTF-8, whatever the locale). */
    static MemorySegment cString(Arena arena, byte[] name) {
        MemorySegment s = arena.allocate(name.length + 1L);
        MemorySegment.copy(name, 0, s, ValueLayout.JAVA_BYTE, 0, name.length);
        s.set(ValueLayout.JAVA_BYTE, name.length, (byte) 0);
        return s;
    }

    /** Rethrows what a downcall cannot throw (its handle is exact), as an error. */
    static Error unexpected(Throwable t) {
        if (t instanceof Error e) {
            return e;
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        return new AssertionError(t);
    }
}
