package amped.fileio;

import java.io.IOException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * The directory tree being served and the policy of what in it may be served: where a request path leads,
 * what may be opened and listed. Everything here blocks on the file system, so it runs on disk helpers.
 *
 * <p>Paths come in as decoded segments that are never empty, ".", ".." or contain "/" (the protocol layer
 * guarantees it). The tree still checks where they really lead: symbolic links are resolved and a target
 * outside the root is refused unless links may be followed; dotfiles are refused unless shown; devices,
 * FIFOs and sockets are never served. A regular file is opened with {@code NOFOLLOW_LINKS} on its resolved
 * path, so a file swapped for a link after the check is refused, not followed.
 */
public final class ServedTree {

    /** Serving policy. */
    public record Options(boolean showHidden, boolean followSymlinks) {
    }

    /** Where a path led. */
    public sealed interface Resolution {
        record Found(Path path, FileInfo info) implements Resolution {
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

    private static final Resolution NOT_FOUND = new Resolution.NotFound();

    private final Path root;
    private final Options options;

    /** @throws IOException when {@code root} is not an existing, readable directory */
    public ServedTree(Path root, Options options) throws IOException {
        Path real = root.toRealPath();
        if (!Files.isDirectory(real)) {
            throw new NotDirectoryException(root.toString());
        }
        this.root = real;
        this.options = options;
    }

    public Path root() {
        return root;
    }

    /** Resolves decoded path segments under the root. Blocking. */
    public Resolution resolve(List<String> segments) throws IOException {
        Path lexical = root;
        for (String segment : segments) {
            if (!options.showHidden && isHidden(segment)) {
                return NOT_FOUND;
            }
            lexical = lexical.resolve(segment);
        }
        Path real;
        try {
            real = lexical.toRealPath();
        } catch (NoSuchFileException | NotDirectoryException e) {
            return NOT_FOUND;
        } catch (AccessDeniedException e) {
            return new Resolution.Forbidden();
        } catch (FileSystemException e) {
            // ELOOP, ENAMETOOLONG and the like: nothing servable there
            return NOT_FOUND;
        }
        if (!real.equals(lexical) && !admits(real)) {
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
            // say so now, rather than have GET fail at open and HEAD claim a 200
            return new Resolution.Forbidden();
        }
        return new Resolution.Found(real, info);
    }

    /**
     * The sibling {@code file + suffix} (a precompressed variant) if it is a regular file, admitted by the
     * policy and not older than {@code file}; otherwise null. Blocking.
     */
    public Resolution.Found freshVariant(Resolution.Found file, String suffix) {
        Path sibling = file.path().resolveSibling(file.path().getFileName() + suffix);
        try {
            FileInfo info = FileMetadata.read(sibling);
            if (info.kind() == FileInfo.Kind.SYMLINK) {
                Path real = sibling.toRealPath();
                if (!admits(real)) {
                    return null;
                }
                sibling = real;
                info = FileMetadata.read(real);
            }
            if (!info.isRegularFile() || info.lastModifiedNanos() < file.info().lastModifiedNanos()
                    || !Files.isReadable(sibling)) {
                return null;
            }
            return new Resolution.Found(sibling, info);
        } catch (IOException e) {
            // missing, vanished, dangling or unreadable: a variant that cannot be served is no variant;
            // the original file is served instead
            return null;
        }
    }

    /**
     * Opens a resolved regular file for asynchronous reads on the disk helpers. The final component is not
     * followed if it has become a symbolic link since it was resolved. Blocking.
     */
    public AsynchronousFileChannel open(Path realPath, ExecutorService diskHelpers) throws IOException {
        Set<java.nio.file.OpenOption> options = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        return AsynchronousFileChannel.open(realPath, options, diskHelpers);
    }

    /**
     * The whole content of a small resolved regular file, read now, or null when the file is not what
     * {@code expected} describes any more (it changed while being read, or is larger than
     * {@code maxBytes}): content and metadata cached together must belong together. Blocking.
     */
    public byte[] readWhole(Path realPath, FileInfo expected, int maxBytes) throws IOException {
        if (expected.size() > maxBytes) {
            return null;
        }
        byte[] content = new byte[(int) expected.size()];
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(realPath,
                StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            java.nio.ByteBuffer into = java.nio.ByteBuffer.wrap(content);
            while (into.hasRemaining()) {
                if (channel.read(into) < 0) {
                    return null;
                }
            }
            if (channel.size() != expected.size()) {
                return null;
            }
        }
        FileInfo after = FileMetadata.read(realPath);
        boolean same = after.size() == expected.size() && after.lastModifiedNanos() == expected.lastModifiedNanos()
                && after.identity() == expected.identity();
        return same ? content : null;
    }

    /**
     * The entries of a directory that the policy lets a client see: no dotfiles unless shown, no links
     * that lead out of the tree unless followed, no devices, FIFOs or sockets. Unsorted. Blocking.
     */
    public List<Entry> list(Path directory) throws IOException {
        List<Entry> entries = new ArrayList<>();
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
                        Path real = child.toRealPath();
                        if (!admits(real)) {
                            continue;
                        }
                        info = FileMetadata.read(real);
                    }
                } catch (IOException vanishedOrDangling) {
                    continue;
                }
                if (info.isRegularFile() || info.isDirectory()) {
                    entries.add(new Entry(name, info.isDirectory(), info.size(), info.lastModifiedMillis()));
                }
            }
        }
        return entries;
    }

    /** Whether a resolved real path may be served: inside the root (and not hidden there), or links are followed. */
    private boolean admits(Path real) {
        if (!real.startsWith(root)) {
            return options.followSymlinks;
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

    private static boolean isHidden(String name) {
        return name.startsWith(".");
    }
}
