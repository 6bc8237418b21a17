package amped.fileio;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
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
 * dispatcher alone.
 */
public final class MappedFile {

    /** Mapped in windows, as a mapping can hold at most 2 GiB. */
    static final long WINDOW = 1L << 30;

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
    private final MappedByteBuffer[] windows;
    private int holders;
    private boolean unmapped;

    private MappedFile(Path path, FileChannel channel, long size, MappedByteBuffer[] windows) {
        this.path = path;
        this.channel = channel;
        this.size = size;
        this.windows = windows;
    }

    /** Maps a resolved regular file, not following a final symbolic link. Blocking (a disk helper's job). */
    public static MappedFile map(Path realPath) throws IOException {
        FileChannel channel = FileChannel.open(realPath, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        try {
            long size = channel.size();
            int count = (int) ((size + WINDOW - 1) / WINDOW);
            MappedByteBuffer[] windows = new MappedByteBuffer[count];
            for (int i = 0; i < count; i++) {
                long start = i * WINDOW;
                windows[i] = channel.map(FileChannel.MapMode.READ_ONLY, start, Math.min(WINDOW, size - start));
            }
            // the descriptor stays open for paging in: reading through it is what keeps Java off the mapping
            return new MappedFile(realPath, channel, size, windows);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
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
        int length = Math.min(maxLength, window.capacity() - offset);
        return window.slice(offset, length);
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
        for (MappedByteBuffer w : windows) {
            Unmapper.unmap(w);
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // read-only: nothing to lose
        }
    }

    /**
     * Unmaps through {@code sun.misc.Unsafe.invokeCleaner}, from jdk.unsupported, the module the JDK keeps
     * for such needs. Where that is not available the mapping goes when the collector finds it unreachable.
     * Looked up by name: javac warns of any reference to sun.misc in source, a warning no annotation silences.
     */
    private static final class Unmapper {
        private static final MethodHandle INVOKE_CLEANER = find();

        private static MethodHandle find() {
            try {
                Class<?> unsafe = Class.forName("sun.misc.Unsafe");
                Field f = unsafe.getDeclaredField("theUnsafe");
                f.setAccessible(true);
                return MethodHandles.lookup()
                        .findVirtual(unsafe, "invokeCleaner", MethodType.methodType(void.class, ByteBuffer.class))
                        .bindTo(f.get(null));
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }

        static void unmap(ByteBuffer mapping) {
            if (INVOKE_CLEANER != null) {
                try {
                    INVOKE_CLEANER.invokeExact(mapping);
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Throwable e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }
}
