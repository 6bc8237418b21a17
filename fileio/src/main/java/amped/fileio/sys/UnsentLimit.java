package amped.fileio.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * {@code TCP_NOTSENT_LOWAT} on a socket: the kernel takes no more data for it while more than the limit is
 * queued and not yet sent, and reports it writable again below that. Bytes in flight are not counted, so a
 * fast client's throughput is untouched; a client that stops reading holds at most about the limit of
 * kernel memory instead of the whole autotuned send buffer (hundreds of KiB: thousands of such clients run
 * a machine out of TCP memory, and then the kernel drops everyone's packets).
 */
public final class UnsentLimit {

    private static final int IPPROTO_TCP = 6;
    private static final int TCP_NOTSENT_LOWAT = 25;
    private static final MethodHandle SETSOCKOPT = Native.AVAILABLE ? Native.downcallOrNull("setsockopt",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT)) : null;

    private UnsentLimit() {
    }

    /**
     * Sets the limit on {@code socketFd}; false where it cannot be (no descriptor, no native access, another
     * system): then the socket keeps the kernel's default, as before.
     */
    public static boolean set(int socketFd, int bytes) {
        if (SETSOCKOPT == null || socketFd < 0) {
            return false;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.captureState(arena);
            MemorySegment value = arena.allocate(ValueLayout.JAVA_INT);
            value.set(ValueLayout.JAVA_INT, 0, bytes);
            int rc = (int) SETSOCKOPT.invokeExact(state, socketFd, IPPROTO_TCP, TCP_NOTSENT_LOWAT, value,
                    (int) ValueLayout.JAVA_INT.byteSize());
            return rc == 0;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }
}
