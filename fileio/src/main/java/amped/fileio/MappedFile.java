package amped.fileio;

import java.io.IOException;
import java.lang.reflect.Field;
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
 * <p>Safe when the file is truncated under it: the missing pages are never resident, paging them in fails
 * with {@link FileShrankException}, and a socket write of them fails with an {@link IOException} ("Bad
 * address") — no byte that is not in the file is ever sent, and nothing crashes. The JVM turns the fault of
 * touching a missing page into an {@link InternalError}, which {@link #pageIn} converts.
 *
 * <p>Nothing here reads the mapped bytes in Java except {@link #pageIn}. The mapping is unmapped
 * explicitly by {@link #release()} once its last holder (the file cache, a response) lets go; the
 * holders count is kept by the owning dispatcher alone.
 */
public final class MappedFile {

    /** Mapped in windows, as a mapping can hold at most 2 GiB. */
    static final long WINDOW = 1L << 30;

    /** The file got shorter than when it was mapped. */
    public static final class FileShrankException extends IOException {
        public FileShrankException(String message) {
            super(message);
        }
    }

    private final Path path;
    private final long size;
    private final MappedByteBuffer[] windows;
    private int holders;
    private boolean unmapped;

    private MappedFile(Path path, long size, MappedByteBuffer[] windows) {
        this.path = path;
        this.size = size;
        this.windows = windows;
    }

    /** Maps a resolved regular file, not following a final symbolic link. Blocking (a disk helper's job). */
    public static MappedFile map(Path realPath) throws IOException {
        try (FileChannel channel = FileChannel.open(realPath, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long size = channel.size();
            int count = (int) ((size + WINDOW - 1) / WINDOW);
            MappedByteBuffer[] windows = new MappedByteBuffer[count];
            for (int i = 0; i < count; i++) {
                long start = i * WINDOW;
                windows[i] = channel.map(FileChannel.MapMode.READ_ONLY, start, Math.min(WINDOW, size - start));
            }
            // the mapping outlives the descriptor: no file stays open for it
            return new MappedFile(realPath, size, windows);
        }
    }

    public Path path() {
        return path;
    }

    public long size() {
        return size;
    }

    /** A read-only view of up to {@code maxLength} bytes from {@code position}, within one window. */
    public MappedByteBuffer slice(long position, int maxLength) {
        if (unmapped) {
            throw new IllegalStateException("unmapped: " + path);
        }
        MappedByteBuffer window = windows[(int) (position / WINDOW)];
        int offset = (int) (position % WINDOW);
        int length = (int) Math.min(maxLength, window.capacity() - offset);
        return window.slice(offset, length);
    }

    /** Whether the slice's pages are in memory, so that sending it cannot wait for a disk. Cheap (mincore). */
    public static boolean resident(MappedByteBuffer slice) {
        return slice.isLoaded();
    }

    /** Reads the slice's pages into memory. Blocking: a disk helper's job. */
    public static void pageIn(MappedByteBuffer slice, Path path) throws FileShrankException {
        try {
            slice.load();
        } catch (InternalError fault) {
            throw new FileShrankException(path + " got shorter while being sent");
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
        for (MappedByteBuffer w : windows) {
            Unmapper.unmap(w);
        }
    }

    /**
     * Unmaps through {@code sun.misc.Unsafe.invokeCleaner}, from jdk.unsupported, the module the JDK keeps
     * for such needs. Where that is not available the mapping goes when the collector finds it unreachable.
     */
    private static final class Unmapper {
        private static final sun.misc.Unsafe UNSAFE = find();

        private static sun.misc.Unsafe find() {
            try {
                Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
                f.setAccessible(true);
                return (sun.misc.Unsafe) f.get(null);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }

        static void unmap(ByteBuffer mapping) {
            if (UNSAFE != null) {
                UNSAFE.invokeCleaner(mapping);
            }
        }
    }
}
