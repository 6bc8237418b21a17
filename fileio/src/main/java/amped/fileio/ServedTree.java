package amped.fileio;

import amped.fileio.sys.ErrnoException;
import amped.fileio.sys.Fd;
import amped.fileio.sys.FileStat;
import amped.fileio.sys.Native;
import amped.fileio.sys.OpenAt;
import java.io.IOException;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * The directory tree being served and the policy of what in it may be served: where a request path leads,
 * what may be opened and listed. Everything here blocks on the file system, so it runs on disk helpers.
 *
 * <p>Paths come in as decoded segments that are never empty, ".", ".." or contain "/" (the protocol layer
 * guarantees it, and the tree refuses them anyway). The policy: dotfiles are refused unless shown;
 * devices, FIFOs and sockets are never served; by default no component of the path may be a symbolic link
 * (nginx's {@code disable_symlinks on}); with {@code followSymlinks} links are followed, but what they lead
 * to must still be beneath the root (and not hidden there).
 *
 * <p>On Linux the policy is enforced on what is opened, so that what is checked is what is served, however
 * the tree changes meanwhile: the root is held as a descriptor, a path is opened beneath it as an
 * {@code O_PATH} descriptor ({@code openat2} with {@code RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS}, or where
 * the kernel lacks it a walk of {@code openat(O_NOFOLLOW)} one component at a time; with links followed, a
 * plain {@code openat} whose descriptor's real path is then checked), the descriptor is stat'ed, and reads,
 * mappings and listings go through that descriptor. An {@code O_PATH} open reads nothing, so it never
 * blocks on a FIFO. Elsewhere the same policy is checked on paths ({@code toRealPath}, lstat) and files are
 * reopened by path with {@code NOFOLLOW_LINKS}: weaker, as a directory swapped for a link between the
 * check and the open is not noticed.
 *
 * <p>This class is the policy's face; the work is done by {@link DescriptorResolver} (Linux),
 * {@link PathResolver} (elsewhere) and {@link TreeListing}, sharing the rules of {@link TreePolicy}.
 */
public final class ServedTree {

    /** Serving policy. */
    public record Options(boolean showHidden, boolean followSymlinks) {
        public static final Options DEFAULTS = new Options(false, false);
    }

    /** Where a path led. */
    public sealed interface Resolution {
        /**
         * A servable file or directory, held open by {@code handle}, which the receiver closes (directly
         * or through {@link #close()}) when done with it.
         */
        record Found(FileHandle handle, FileInfo info) implements Resolution, AutoCloseable {
            /** Its real path. */
            public Path path() {
                return handle.path();
            }

            @Override
            public void close() {
                handle.close();
            }
        }

        record NotFound() implements Resolution {
        }

        /** The file exists but the server may not read it (permissions). */
        record Forbidden() implements Resolution {
        }
    }

    /** One entry of a directory listing. */
    public record Entry(String name, boolean directory, long size, long lastModifiedMillis) {
    }

    /** How this tree resolves paths. */
    enum Mode {
        /** openat2 beneath the root descriptor. */
        OPENAT2,
        /** openat one component at a time from the root descriptor (kernels before 5.6). */
        WALK,
        /** by path, where there are no such calls: the portable, weaker way. */
        PATHS
    }

    static final Resolution NOT_FOUND = new Resolution.NotFound();
    static final Resolution FORBIDDEN = new Resolution.Forbidden();
    private static final Cleaner CLEANER = Cleaner.create();

    private final TreePolicy policy;
    private final Mode mode;
    /** Resolves beneath the root's descriptor; null in {@link Mode#PATHS}. */
    private final DescriptorResolver descriptors;
    private final PathResolver paths;
    private final TreeListing listing;

    /** @throws IOException when {@code root} is not an existing, readable directory */
    public ServedTree(Path root, Options options) throws IOException {
        this(root, options, null);
    }

    /** With {@code forced} (when not null) instead of the best mode this system offers: for tests. */
    ServedTree(Path root, Options options, Mode forced) throws IOException {
        Path real = root.toRealPath();
        if (!Files.isDirectory(real)) {
            throw new NotDirectoryException(root.toString());
        }
        policy = new TreePolicy(real, options);
        paths = new PathResolver(policy);
        listing = new TreeListing(policy, this);
        if (forced != Mode.PATHS && Native.AVAILABLE && real.getFileSystem() == FileSystems.getDefault()) {
            Fd rootFd;
            try {
                rootFd = OpenAt.openDirectory(real);
            } catch (ErrnoException e) {
                throw new FileSystemException(real.toString(), null, e.getMessage());
            }
            // the root descriptor lives as long as the tree (a server's lifetime)
            CLEANER.register(this, rootFd::close);
            mode = forced != null ? forced : DescriptorResolver.probe(rootFd);
            descriptors = new DescriptorResolver(policy, rootFd, mode);
        } else {
            mode = Mode.PATHS;
            descriptors = null;
        }
    }

    public Path root() {
        return policy.root;
    }

    public Options options() {
        return policy.options;
    }

    Mode mode() {
        return mode;
    }

    /**
     * Resolves decoded path segments under the root. A {@link Resolution.Found} holds the file open: the
     * caller closes it. Blocking.
     */
    public Resolution resolve(List<String> segments) throws IOException {
        if (policy.hidesAny(segments)) {
            return NOT_FOUND;
        }
        return descriptors == null ? paths.resolve(segments) : descriptors.resolve(segments);
    }

    /** The descriptor walk (see {@link DescriptorResolver#walk}), for tests where openat2 exists. */
    Fd walk(List<String> segments) throws ErrnoException {
        return descriptors.walk(segments);
    }

    /**
     * The sibling {@code file + suffix} (a precompressed variant), resolved by the same policy, if it is a
     * regular file not older than {@code file}; otherwise null. The sibling of the name asked for, as
     * nginx's {@code gzip_static} (with links followed, not of the link's target). The caller closes what
     * it gets. Blocking.
     */
    public Resolution.Found freshVariant(Resolution.Found file, String suffix) {
        // by the names asked for, which a path may not be able to spell under a POSIX locale
        List<String> segments = new ArrayList<>(file.handle().segments());
        if (segments.isEmpty()) {
            return null;
        }
        segments.set(segments.size() - 1, segments.getLast() + suffix);
        try {
            if (resolve(segments) instanceof Resolution.Found v) {
                if (v.info().isRegularFile() && v.info().lastModifiedNanos() >= file.info().lastModifiedNanos()) {
                    return v;
                }
                v.close();
            }
            return null;
        } catch (IOException e) {
            // vanished, unreadable: a variant that cannot be served is no variant; the original is served
            return null;
        }
    }

    /** What the handle's file is now (fstat of its descriptor). Blocking. */
    public FileInfo stat(FileHandle handle) throws IOException {
        Fd fd = handle.fd();
        return fd == null ? FileMetadata.read(handle.path()) : FileMetadata.of(FileStat.of(fd));
    }

    /**
     * Opens a resolved regular file for asynchronous reads on the disk helpers: exactly the file resolved
     * (on Linux through its descriptor; elsewhere by path, not following a final link). The channel is the
     * caller's, independent of the handle. Blocking.
     */
    public AsynchronousFileChannel open(FileHandle handle, ExecutorService diskHelpers) throws IOException {
        Fd fd = handle.fd();
        if (fd == null) {
            Set<OpenOption> options = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
            return AsynchronousFileChannel.open(handle.path(), options, diskHelpers);
        }
        fd.use();
        try {
            return AsynchronousFileChannel.open(fd.procPath(), Set.of(StandardOpenOption.READ), diskHelpers);
        } finally {
            fd.release();
        }
    }

    /** A blocking channel on exactly the handle's file. */
    private static FileChannel channel(FileHandle handle) throws IOException {
        Fd fd = handle.fd();
        if (fd == null) {
            return FileChannel.open(handle.path(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        }
        fd.use();
        try {
            return FileChannel.open(fd.procPath(), StandardOpenOption.READ);
        } finally {
            fd.release();
        }
    }

    /**
     * The whole content of a small resolved regular file, read now, or null when the file is not what
     * {@code expected} describes any more (it changed while being read, or is larger than
     * {@code maxBytes}): content and metadata cached together must belong together. Blocking.
     */
    public byte[] readWhole(FileHandle handle, FileInfo expected, int maxBytes) throws IOException {
        if (expected.size() > maxBytes) {
            return null;
        }
        byte[] content = new byte[(int) expected.size()];
        try (FileChannel channel = channel(handle)) {
            ByteBuffer into = ByteBuffer.wrap(content);
            while (into.hasRemaining()) {
                if (channel.read(into) < 0) {
                    return null;
                }
            }
            if (channel.size() != expected.size()) {
                return null;
            }
        }
        return unchanged(handle, expected) ? content : null;
    }

    /**
     * A blocking channel for reading exactly the handle's regular file, the caller's to close; with
     * {@link #unchanged} after the read, the caller knows that what it read is what {@code expected} describes.
     */
    public FileChannel reader(FileHandle handle) throws IOException {
        return channel(handle);
    }

    /** Whether the handle's file still has the size, times and identity of {@code expected}. Blocking. */
    public boolean unchanged(FileHandle handle, FileInfo expected) throws IOException {
        FileInfo after = stat(handle);
        return after.size() == expected.size() && after.lastModifiedNanos() == expected.lastModifiedNanos()
                && after.changedNanos() == expected.changedNanos() && after.identity() == expected.identity();
    }

    /** Maps exactly the handle's regular file (see {@link MappedFile}). Blocking. */
    public MappedFile map(FileHandle handle) throws IOException {
        return MappedFile.map(channel(handle), handle.path());
    }

    /**
     * The entries of a resolved directory that the policy lets a client see: no dotfiles unless shown, no
     * links unless followed (and then only those leading to something beneath the root), no devices, FIFOs
     * or sockets. Read from exactly the directory resolved. Unsorted. Blocking.
     */
    public List<Entry> list(FileHandle directory) throws IOException {
        List<Entry> entries = new ArrayList<>();
        listing.list(directory, entries::add);
        return entries;
    }

    /**
     * The same entries, each handed to {@code sink} as soon as it is stat'ed; reading stops early when the
     * sink answers false (nobody wants the listing any more, or it would not fit its memory budget).
     * Returns whether every entry was handed over. Blocking.
     */
    public boolean list(FileHandle directory, Predicate<Entry> sink) throws IOException {
        return listing.list(directory, sink);
    }
}
