package amped.fileio;

import amped.fileio.sys.Dirents;
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
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    private static final Logger LOG = LoggerFactory.getLogger(ServedTree.class);
    private static final Resolution NOT_FOUND = new Resolution.NotFound();
    private static final Resolution FORBIDDEN = new Resolution.Forbidden();
    private static final byte[] DOT = {'.'};
    /** How often openat2 is retried when a concurrent rename made the kernel give up (EAGAIN). */
    private static final int RENAME_RETRIES = 16;
    private static final Cleaner CLEANER = Cleaner.create();

    private final Path root;
    private final Options options;
    private final Mode mode;
    /** The root, held open for resolving beneath it; null in {@link Mode#PATHS}. */
    private final Fd rootFd;

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
        this.root = real;
        this.options = options;
        if (forced != Mode.PATHS && Native.AVAILABLE && real.getFileSystem() == FileSystems.getDefault()) {
            try {
                rootFd = OpenAt.openDirectory(real);
            } catch (ErrnoException e) {
                throw new FileSystemException(real.toString(), null, e.getMessage());
            }
            // the root descriptor lives as long as the tree (a server's lifetime)
            CLEANER.register(this, rootFd::close);
            mode = forced != null ? forced : probe(rootFd);
        } else {
            rootFd = null;
            mode = Mode.PATHS;
        }
    }

    /** OPENAT2 where the kernel has it (Linux 5.6), else WALK. */
    private static Mode probe(Fd rootFd) {
        try {
            OpenAt.openat2NoSymlinks(rootFd, DOT).close();
            return Mode.OPENAT2;
        } catch (ErrnoException e) {
            // ENOSYS: an older kernel; EPERM: a seccomp filter that does not know the call
            return e.errno() == ErrnoException.ENOSYS || e.errno() == ErrnoException.EPERM ? Mode.WALK : Mode.OPENAT2;
        }
    }

    public Path root() {
        return root;
    }

    public Options options() {
        return options;
    }

    Mode mode() {
        return mode;
    }

    /**
     * Resolves decoded path segments under the root. A {@link Resolution.Found} holds the file open: the
     * caller closes it. Blocking.
     */
    public Resolution resolve(List<String> segments) throws IOException {
        for (String segment : segments) {
            if (!options.showHidden && isHidden(segment)) {
                return NOT_FOUND;
            }
        }
        if (mode == Mode.PATHS) {
            return resolveByPath(segments);
        }
        for (String segment : segments) {
            if (!plainName(segment)) {
                return NOT_FOUND;
            }
        }
        Fd fd;
        try {
            fd = open(segments);
        } catch (ErrnoException e) {
            // ENOENT, ENOTDIR, ELOOP (a link where none may be), EXDEV (out of the root), ENAMETOOLONG...
            return e.isAccessDenied() ? FORBIDDEN : NOT_FOUND;
        }
        return check(fd, segments);
    }

    /** The descriptor of the object the segments lead to, by this tree's mode and policy. */
    private Fd open(List<String> segments) throws ErrnoException {
        byte[] relative = segments.isEmpty() ? DOT : String.join("/", segments).getBytes(StandardCharsets.UTF_8);
        if (options.followSymlinks) {
            // links anywhere, wherever they lead: check() refuses a descriptor that is not beneath the root
            return OpenAt.openFollowing(rootFd, relative);
        }
        if (mode == Mode.OPENAT2) {
            for (int attempt = 0; ; attempt++) {
                try {
                    return OpenAt.openat2NoSymlinks(rootFd, relative);
                } catch (ErrnoException e) {
                    if (e.errno() != ErrnoException.EAGAIN || attempt == RENAME_RETRIES) {
                        throw e;
                    }
                }
            }
        }
        return walk(segments);
    }

    /**
     * Opens the segments one at a time, each with {@code O_NOFOLLOW} in the descriptor of the one before:
     * a symbolic link anywhere on the way fails with ELOOP; a final one is returned as itself (its stat
     * says so). Package-private so that tests can run it where openat2 exists.
     */
    Fd walk(List<String> segments) throws ErrnoException {
        if (segments.isEmpty()) {
            return OpenAt.openNoFollow(rootFd, DOT);
        }
        Fd parent = rootFd;
        try {
            for (int i = 0; ; i++) {
                Fd next = OpenAt.openNoFollow(parent, segments.get(i).getBytes(StandardCharsets.UTF_8));
                if (parent != rootFd) {
                    parent.close();
                }
                parent = next;
                if (i == segments.size() - 1) {
                    return next;
                }
                int type = FileStat.of(next).type();
                if (type == FileStat.S_IFLNK) {
                    throw new ErrnoException("openat", ErrnoException.ELOOP);
                }
                if (type != FileStat.S_IFDIR) {
                    throw new ErrnoException("openat", ErrnoException.ENOTDIR);
                }
            }
        } catch (ErrnoException | RuntimeException e) {
            if (parent != rootFd) {
                parent.close();
            }
            throw e;
        }
    }

    /** The resolution of an opened descriptor, by its fstat (and with links followed, its real path). Owns fd. */
    private Resolution check(Fd fd, List<String> segments) throws IOException {
        try {
            FileInfo info = FileMetadata.of(FileStat.of(fd));
            if (!info.isRegularFile() && !info.isDirectory()) {
                // a link (where none may be), FIFO, socket or device: never opened for reading
                fd.close();
                return NOT_FOUND;
            }
            Path path;
            if (options.followSymlinks) {
                // (fd is this method's own until it is handed out: no other user can close it)
                Path real = Files.readSymbolicLink(fd.procPath());
                if (!admits(real)) {
                    fd.close();
                    return NOT_FOUND;
                }
                path = real;
            } else {
                try {
                    path = lexical(segments);
                } catch (InvalidPathException unmappable) {
                    // a name the JVM's file-name encoding (the locale's) cannot spell: the kernel's own
                    // account of the descriptor's path, as bytes
                    path = Files.readSymbolicLink(fd.procPath());
                }
            }
            if (info.isRegularFile() && !Files.isReadable(fd.procPath())) {
                // say so now, rather than have GET fail at open and HEAD claim a 200
                fd.close();
                return FORBIDDEN;
            }
            return new Resolution.Found(new FileHandle(path, fd), info);
        } catch (IOException | RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    /** The portable resolution: the same policy, checked on paths (weaker: see the class comment). */
    private Resolution resolveByPath(List<String> segments) throws IOException {
        Path lexical = lexical(segments);
        Path real;
        try {
            real = lexical.toRealPath();
        } catch (NoSuchFileException | NotDirectoryException e) {
            return NOT_FOUND;
        } catch (AccessDeniedException e) {
            return FORBIDDEN;
        } catch (FileSystemException e) {
            // ELOOP, ENAMETOOLONG and the like: nothing servable there
            return NOT_FOUND;
        }
        if (!real.equals(lexical) && (!options.followSymlinks || !admits(real))) {
            return NOT_FOUND;
        }
        FileInfo info;
        try {
            info = FileMetadata.read(real);
        } catch (NoSuchFileException e) {
            return NOT_FOUND;
        }
        if (info.kind() != FileInfo.Kind.REGULAR && info.kind() != FileInfo.Kind.DIRECTORY) {
            return NOT_FOUND;
        }
        if (info.isRegularFile() && !Files.isReadable(real)) {
            return FORBIDDEN;
        }
        return new Resolution.Found(new FileHandle(real, null), info);
    }

    /**
     * The sibling {@code file + suffix} (a precompressed variant), resolved by the same policy, if it is a
     * regular file not older than {@code file}; otherwise null. The caller closes what it gets. Blocking.
     */
    public Resolution.Found freshVariant(Resolution.Found file, String suffix) {
        Path path = file.path();
        if (path.equals(root) || !path.startsWith(root)) {
            return null;
        }
        List<String> segments = new ArrayList<>();
        for (Path part : root.relativize(path.resolveSibling(path.getFileName() + suffix))) {
            segments.add(part.toString());
        }
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
        FileInfo after = stat(handle);
        boolean same = after.size() == expected.size() && after.lastModifiedNanos() == expected.lastModifiedNanos()
                && after.changedNanos() == expected.changedNanos() && after.identity() == expected.identity();
        return same ? content : null;
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
        list(directory, entries::add);
        return entries;
    }

    /**
     * The same entries, each handed to {@code sink} as soon as it is stat'ed; reading stops early when the
     * sink answers false (nobody wants the listing any more, or it would not fit its memory budget).
     * Returns whether every entry was handed over. Blocking.
     */
    public boolean list(FileHandle directory, Predicate<Entry> sink) throws IOException {
        Fd fd = directory.fd();
        if (fd == null) {
            return listByPath(directory.path(), directory.path(), sink);
        }
        if (!Dirents.available()) {
            fd.use();
            try {
                // entries are stat'ed as /proc/self/fd/N/name: in exactly this directory, whatever its name now
                return listByPath(fd.procPath(), directory.path(), sink);
            } finally {
                fd.release();
            }
        }
        return listByDescriptor(fd, directory.path(), sink);
    }

    /**
     * The listing read natively: names as the bytes they are (UTF-8 whatever the JVM's locale), each stat'ed
     * in exactly this directory. A name that is not valid UTF-8 could never be asked for: it is left out,
     * with one warning for the directory.
     */
    private boolean listByDescriptor(Fd fd, Path realDirectory, Predicate<Entry> sink) throws IOException {
        int undecodable = 0;
        List<byte[]> names;
        try {
            names = Dirents.names(fd);
        } catch (ErrnoException e) {
            if (e.errno() == ErrnoException.ENOENT) {
                // removed since it was resolved: it has no entries
                return true;
            }
            throw e.isAccessDenied() ? new AccessDeniedException(realDirectory.toString()) : e;
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        for (byte[] raw : names) {
            String name;
            try {
                name = utf8.decode(ByteBuffer.wrap(raw)).toString();
            } catch (CharacterCodingException e) {
                undecodable++;
                continue;
            }
            if (!options.showHidden && isHidden(name)) {
                continue;
            }
            FileInfo info;
            try {
                info = FileMetadata.of(FileStat.ofEntry(fd, raw));
                if (info.kind() == FileInfo.Kind.SYMLINK) {
                    info = options.followSymlinks ? followedEntry(fd, raw) : null;
                }
            } catch (ErrnoException vanishedOrDangling) {
                continue;
            }
            if (info != null && (info.isRegularFile() || info.isDirectory())
                    && !sink.test(new Entry(name, info.isDirectory(), info.size(), info.lastModifiedMillis()))) {
                return false;
            }
        }
        if (undecodable > 0) {
            LOG.warn("{} name(s) in {} are not valid UTF-8: left out of its listing", undecodable, realDirectory);
        }
        return true;
    }

    /** What the link {@code name} in the directory {@code dir} leads to, if beneath the root (and not hidden). */
    private FileInfo followedEntry(Fd dir, byte[] name) throws IOException {
        try (Fd target = OpenAt.openFollowing(dir, name)) {
            FileInfo info = FileMetadata.of(FileStat.of(target));
            return admits(Files.readSymbolicLink(target.procPath())) ? info : null;
        }
    }

    private boolean listByPath(Path directory, Path realDirectory, Predicate<Entry> sink) throws IOException {
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            for (Path child : stream) {
                String name = child.getFileName().toString();
                if (!options.showHidden && isHidden(name)) {
                    continue;
                }
                FileInfo info;
                try {
                    info = FileMetadata.read(child);
                    if (info.kind() == FileInfo.Kind.SYMLINK) {
                        info = options.followSymlinks ? followed(realDirectory.resolve(name)) : null;
                    }
                } catch (IOException vanishedOrDangling) {
                    continue;
                }
                if (info != null && (info.isRegularFile() || info.isDirectory())
                        && !sink.test(new Entry(name, info.isDirectory(), info.size(), info.lastModifiedMillis()))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** What a link in the tree leads to if the policy admits it, else null: resolved as a request would be. */
    private FileInfo followed(Path link) throws IOException {
        if (!link.startsWith(root)) {
            return null;
        }
        List<String> segments = new ArrayList<>();
        for (Path part : root.relativize(link)) {
            segments.add(part.toString());
        }
        if (resolve(segments) instanceof Resolution.Found f) {
            f.close();
            return f.info();
        }
        return null;
    }

    private Path lexical(List<String> segments) {
        Path p = root;
        for (String segment : segments) {
            p = p.resolve(segment);
        }
        return p;
    }

    /** Whether a real path may be served: beneath the root, and not hidden there unless shown. */
    private boolean admits(Path real) {
        if (!real.startsWith(root)) {
            return false;
        }
        if (!options.showHidden) {
            for (Path part : root.relativize(real)) {
                if (isHidden(part.toString())) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean plainName(String segment) {
        return !segment.isEmpty() && !segment.equals(".") && !segment.equals("..") && segment.indexOf('/') < 0
                && segment.indexOf('\0') < 0;
    }

    private static boolean isHidden(String name) {
        return name.startsWith(".");
    }
}
