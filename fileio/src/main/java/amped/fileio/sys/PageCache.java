package amped.fileio.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * What the page cache holds of a file, asked by descriptor: {@code cachestat(2)} (Linux 6.5) says whether a
 * range is all in memory, so a dispatcher can send it at once instead of asking a disk helper to read it
 * in; {@code posix_fadvise(WILLNEED)} starts reading a range without waiting for it, so the next piece of
 * a download comes off the disk while this one is sent. Where either is missing the answer is "not
 * known to be cached" and "no hint": the caller's disk helper path, as before.
 */
public final class PageCache {

    private static final long SYS_CACHESTAT = 451; // the same on x86_64 and aarch64 (the unified table)
    private static final int POSIX_FADV_WILLNEED = 3;
    /** Pages are counted as 4 KiB: where they are larger the count only errs towards "not cached". */
    private static final long PAGE = 4096;
    private static final MethodHandle FADVISE = Native.AVAILABLE ? Native.downcallOrNull("posix_fadvise",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT)) : null;
    /** Cleared for good when the kernel (or a seccomp filter) refuses cachestat. */
    private static volatile boolean cachestat = Native.AVAILABLE;

    private PageCache() {
    }

    /**
     * Whether every page of the range is in the page cache now (so reading it cannot wait for a disk); false
     * when some is not, or when this cannot be asked here.
     */
    public static boolean cached(int fileFd, long offset, long count) {
        if (!cachestat || fileFd < 0 || count <= 0) {
            return false;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.captureState(arena);
            MemorySegment range = arena.allocate(16, 8); // struct cachestat_range { u64 off, len }
            range.set(ValueLayout.JAVA_LONG, 0, offset);
            range.set(ValueLayout.JAVA_LONG, 8, count);
            MemorySegment stat = arena.allocate(40, 8); // struct cachestat: nr_cache first, four more u64
            long rc = (long) Native.SYSCALL.invokeExact(state, SYS_CACHESTAT, (long) fileFd, range, stat, 0L);
            if (rc < 0) {
                int errno = Native.errno(state);
                if (errno == ErrnoException.ENOSYS || errno == ErrnoException.EPERM) {
                    cachestat = false;
                }
                return false;
            }
            long pages = (offset + count + PAGE - 1) / PAGE - offset / PAGE;
            return stat.get(ValueLayout.JAVA_LONG, 0) >= pages;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** Whether {@link #cached} can answer true here (the kernel has cachestat). */
    public static boolean canAsk() {
        return cachestat;
    }

    /**
     * Asks the kernel to start reading the range into the page cache and returns without waiting for it (it
     * may wait to queue the reads: a disk helper's call). A hint: where it cannot be given nothing happens.
     */
    public static void willNeed(int fileFd, long offset, long count) {
        if (FADVISE == null || fileFd < 0 || count <= 0) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            // posix_fadvise returns its error rather than setting errno; a refused hint changes nothing
            int ignored = (int) FADVISE.invokeExact(Native.captureState(arena), fileFd, offset, count,
                    POSIX_FADV_WILLNEED);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }
}
