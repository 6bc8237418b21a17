package amped.fileio;

import amped.fileio.sys.Fd;
import java.nio.file.Path;
import java.util.List;

/**
 * A resolved file or directory, held open so that what was checked is what is read: on Linux an
 * {@code O_PATH} descriptor of exactly the object that was resolved and stat'ed (reads reopen it through
 * {@code /proc/self/fd/N}, never by name); elsewhere only its path (the weaker, portable way: reads reopen
 * the path with {@code NOFOLLOW_LINKS}). Owns the descriptor: {@link #close()} closes it exactly once.
 * Whoever gets a handle from {@link ServedTree} closes it when done; the channels, contents and mappings
 * made from it stay valid after that.
 */
public final class FileHandle implements AutoCloseable {

    private final Path path;
    private final Fd fd;
    private final List<String> segments;

    /** @param segments the decoded names it was resolved by, beneath the root */
    FileHandle(Path path, Fd fd, List<String> segments) {
        this.path = path;
        this.fd = fd;
        this.segments = List.copyOf(segments);
    }

    /** Where the file is: its real path (for messages and as a cache's identity; never reopened by name on Linux). */
    public Path path() {
        return path;
    }

    /** Whether the handle holds a descriptor (the race-proof way) rather than only a path. */
    public boolean isDescriptor() {
        return fd != null;
    }

    public boolean isOpen() {
        return fd == null || fd.isOpen();
    }

    /**
     * The names it was resolved by, as the request gave them: unlike {@link #path()} always what they are,
     * even where the JVM's file-name encoding (the locale's) cannot spell them.
     */
    List<String> segments() {
        return segments;
    }

    /** The descriptor, or null for a path-only handle. */
    Fd fd() {
        return fd;
    }

    @Override
    public void close() {
        if (fd != null) {
            fd.close();
        }
    }

    @Override
    public String toString() {
        return path + (fd == null ? "" : " (" + fd + ")");
    }
}
