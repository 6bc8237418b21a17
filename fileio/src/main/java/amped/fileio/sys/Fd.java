package amped.fileio.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * One open file descriptor, owned: closed exactly once, by {@link #close()} (later calls do nothing).
 * While open, {@link #procPath()} names exactly its file ({@code /proc/self/fd/N}): opening that path
 * opens the file this descriptor refers to, not whatever is now at the name it was opened by. Users
 * synchronize on the {@code Fd} while they use its number, so that it cannot be closed (and the number
 * reused for another file) in between.
 */
public final class Fd implements AutoCloseable {

    private final int fd;
    private boolean closed;

    Fd(int fd) {
        this.fd = fd;
    }

    /** The descriptor number. Only meaningful while open. */
    public int number() {
        return fd;
    }

    public synchronized boolean isOpen() {
        return !closed;
    }

    /** The path through which the descriptor's own file can be opened again (for reading, say). */
    public Path procPath() {
        return Path.of("/proc/self/fd/" + fd);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.captureState(arena);
            int unused = (int) Native.CLOSE.invokeExact(state, fd);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    @Override
    public String toString() {
        return "fd " + fd + (closed ? " (closed)" : "");
    }
}
