package amped.fileio;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file mapped into memory, for sending what the page cache holds straight from the mapping (Flash's
 * trick): one copy into the socket instead of a read into a buffer and a write out of it, and no disk
 * helper at all. Before a piece is sent, {@link #resident} asks the kernel whether its pages are in memory
 * (mincore); when they are not, a disk helper pages them in with {@link #pageIn}, so a dispatcher never
 * waits for a disk.
 *
 * <p>No Java code ever touches the mapped bytes: only the kernel does, in mincore and in the socket write.
 * Paging in reads the range through the file's descriptor (pread), which fills the same page cache the
 * mapping shows. That is what makes it safe when the file is truncated under it: a short read says so
 * ({@link FileShrankException}), and a socket write of pages past the new end fails with an
 * {@link IOException} ("Bad address", EFAULT) — no byte that is not in the file is ever sent, nothing faults. (The
 * JVM reports a fault of a Java access to a truncated mapping asynchronously, possibly outside any handler,
 * which is why it is avoided altogether.)
 *
 * <p>The mapping and its descriptor go together, explicitly, in {@link #release()}, once the last holder
 * (the file cache, a response, a lookup in flight) lets go; the holders count is kept by the owning
 * dispatcher alone. The mapping is a {@link MemorySegment} of a shared {@link Arena}
 * ({@code FileChannel.map(READ_ONLY, 0, size, arena)}); closing the arena unmaps it at once. A socket
 * write of a slice holds the arena while it is in flight: closing it then fails
 * ({@code IllegalStateException}), so the arena is closed later, by the write's completion, when it
 * releases its hold (see {@link #release()}).
 */
public final class MappedFile {

    /** The file got shorter than when it was mapped. */
    public static final class FileShrankException extends IOException {
        private static final long serialVersionUID = 1L;

        public FileShrankException(String message) {
            super(message);
        }
    }

    /** How much of a range a page-in reads at a time. */
    private static final int PAGE_IN_PIECE = 256 * 1024;
    private static final ThreadLocal<ByteBuffer> SCRATCH = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(PAGE_IN_PIECE));

    private final Path path;
    private final FileChannel channel;
    private final long size;
    private final Arena arena;
    private final MemorySegment segment;
    private int holders;
    private boolean unmapped;

    private MappedFile(Path path, FileChannel channel, long size, Arena arena, MemorySegment segment) {
        this.path = path;
        this.channel = channel;
        this.size = size;
        this.arena = arena;
        this.segment = segment;
    }

    /** Maps a resolved regular file, not following a final symbolic link. Blocking (a disk helper's job). */
    public static MappedFile map(Path realPath) throws IOException {
        return map(FileChannel.open(realPath, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS), realPath);
    }

    /** Maps the file open in {@code channel}, which the mapping then owns (closed with it, or now on failure). */
    static MappedFile map(FileChannel channel, Path path) throws IOException {
        Arena arena = Arena.ofShared();
        try {
            long size = channel.size();
            MemorySegment segment = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            // the descriptor stays open for paging in: reading through it is what keeps Java off the mapping
            return new MappedFile(path, channel, size, arena, segment);
        } catch (IOException | RuntimeException e) {
            arena.close();
            channel.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    /**
     * The descriptor the mapping was made from (kept open with it), for sendfile(2); -1 where it cannot be
     * had. Valid while the mapping is held.
     */
    public int descriptor() {
        return amped.fileio.sys.ChannelDescriptors.of(channel);
    }

    public long size() {
        return size;
    }

    /**
     * A read-only view of up to {@code maxLength} bytes from {@code position}. Valid while the mapping is
     * held: a holder that lets go must be done with its slices.
     */
    public MappedByteBuffer slice(long position, int maxLength) {
        if (unmapped) {
            throw new IllegalStateException("unmapped: " + path);
        }
        long length = Math.min(maxLength, size - position);
        // a mapped segment's buffer is a MappedByteBuffer (isLoaded is mincore)
        return (MappedByteBuffer) segment.asSlice(position, length).asByteBuffer();
    }
    /** Whether the slice's pages are in memory, so that sending it cannot wait for a disk. Cheap (mincore). */
    public static boolean resident(MappedByteBuffer slice) {
        return slice.isLoaded();
    }

    /**
     * Reads {@code length} bytes from {@code position} into the page cache, so that the mapping's pages for
     * them are resident. Blocking: a disk helper's job; the caller holds the mapping meanwhile.
     *
     * @throws FileShrankException when the file now ends before the range does
     */
    public void pageIn(long position, int length) throws IOException {
        ByteBuffer scratch = SCRATCH.get();
        long at = position;
        long end = position + length;
        while (at < end) {
            scratch.clear().limit((int) Math.min(scratch.capacity(), end - at));
            int n = channel.read(scratch, at);
            if (n <= 0) {
                throw new FileShrankException(path + " got shorter while being sent");
            }
            at += n;
        }
    }

    /** Another holder (the cache, a response). Owning dispatcher only. */
    public void retain() {
        if (unmapped) {
            throw new IllegalStateException("unmapped: " + path);
        }
        holders++;
    }

    /** A holder lets go; the last one unmaps. Owning dispatcher only. */
    public void release() {
        if (--holders <= 0) {
            unmap();
        }
    }

    /** Unmaps if nobody holds it (a mapping made but never taken). */
    public void releaseIfUnheld() {
        if (holders <= 0) {
            unmap();
        }
    }

    public boolean isUnmapped() {
        return unmapped;
    }

    private void unmap() {
        if (unmapped) {
            return;
        }
        unmapped = true;
        closeArena(arena);
        try {
            channel.close();
        } catch (IOException ignored) {
            // read-only: nothing to lose
        }
    }

    /** How long an arena held by a write in flight is retried before it is left mapped. */
    private static final long CLOSE_RETRY_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(5);

    /**
     * Closes (unmaps) the arena; when a socket write of a slice still holds it (a holder let go before its
     * write completed), the close fails with IllegalStateException and is retried off the caller's thread
     * until the write is done: the bytes under a write in flight are never unmapped.
     */
    static void closeArena(Arena arena) {
        try {
            arena.close();
        } catch (IllegalStateException writeInFlight) {
            Thread.ofVirtual().name("amped-unmap").start(() -> {
                long end = System.nanoTime() + CLOSE_RETRY_NANOS;
                while (System.nanoTime() < end) {
                    java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
                    try {
                        arena.close();
                        return;
                    } catch (IllegalStateException stillHeld) {
                        // the write is still in flight
                    }
                }
            });
        }
    }
}
