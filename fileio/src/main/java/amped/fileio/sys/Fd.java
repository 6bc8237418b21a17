package amped.fileio.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One open file descriptor, owned: closed exactly once, by {@link #close()} (later calls do nothing).
 * While open, {@link #procPath()} names exactly its file ({@code /proc/self/fd/N}): opening that path
 * opens the file this descriptor refers to, not whatever is now at the name it was opened by.
 *
 * <p>A user of the number brackets its use with {@link #acquire()} and {@link #release()}, so that the
 * descriptor cannot be closed (and its number reused for another file) in between; a close while it is in
 * use takes effect when the last user releases it. Any number of threads may use it at once (the root of
 * a tree is used by every disk helper).
 */
public final class Fd implements AutoCloseable {

    private static final long CLOSED = 1L << 62;

    private final int fd;
    /** Users now, plus {@link #CLOSED} once closed. */
    private final AtomicLong state = new AtomicLong();

    Fd(int fd) {
        this.fd = fd;
    }

    /** The descriptor number: only between {@link #acquire()} and {@link #release()}. */
    public int number() {
        return fd;
    }

    public boolean isOpen() {
        return (state.get() & CLOSED) == 0;
    }

    /** Starts a use of the number; false when already closed. */
    public boolean acquire() {
        while (true) {
            long s = state.get();
            if ((s & CLOSED) != 0) {
                return false;
            }
            if (state.compareAndSet(s, s + 1)) {
                return true;
            }
        }
    }

    /** Starts a use of the number, or throws IllegalStateException when already closed. */
    public void use() {
        if (!acquire()) {
            throw new IllegalStateException("closed: " + this);
        }
    }

    /** Ends a use; the last one closes the descriptor if it was closed meanwhile. */
    public void release() {
        if (state.decrementAndGet() == CLOSED) {
            closeNow();
        }
    }

    /** The path through which the descriptor's own file can be opened again (for reading, say). */
    public Path procPath() {
        return Path.of("/proc/self/fd/" + fd);
    }

    @Override
    public void close() {
        while (true) {
            long s = state.get();
            if ((s & CLOSED) != 0) {
                return;
            }
            if (state.compareAndSet(s, s | CLOSED)) {
                if (s == 0) {
                    closeNow();
                }
                return;
            }
        }
    }

    private void closeNow() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.captureState(arena);
            int unused = (int) Native.CLOSE.invokeExact(state, fd);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    @Override
    public String toString() {
        return "fd " + fd + (isOpen() ? "" : " (closed)");
    }
}
