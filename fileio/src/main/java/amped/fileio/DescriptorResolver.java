package amped.fileio;

import amped.fileio.ServedTree.Mode;
import amped.fileio.ServedTree.Resolution;
import amped.fileio.sys.ErrnoException;
import amped.fileio.sys.Fd;
import amped.fileio.sys.FileStat;
import amped.fileio.sys.OpenAt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * Resolution on Linux, by descriptor beneath the root's: {@code openat2} with {@code RESOLVE_BENEATH |
 * RESOLVE_NO_SYMLINKS}, or a walk of {@code openat(O_NOFOLLOW)} where the kernel lacks it, or with links
 * followed a plain {@code openat} whose result's real path is then checked; the opened object is
 * stat'ed, and that descriptor is what the caller reads. {@code O_PATH} reads nothing, so a FIFO never
 * blocks it.
 */
final class DescriptorResolver {

    private static final byte[] DOT = {'.'};
    /** How often openat2 is retried when a concurrent rename made the kernel give up (EAGAIN). */
    private static final int RENAME_RETRIES = 16;

    private final TreePolicy policy;
    private final Fd rootFd;
    private final Mode mode;

    /** @param mode OPENAT2 or WALK */
    DescriptorResolver(TreePolicy policy, Fd rootFd, Mode mode) {
        this.policy = policy;
        this.rootFd = rootFd;
        this.mode = mode;
    }

    /** OPENAT2 where the kernel has it (Linux 5.6), else WALK. */
    static Mode probe(Fd rootFd) {
        try {
            OpenAt.openat2NoSymlinks(rootFd, DOT).close();
            return Mode.OPENAT2;
        } catch (ErrnoException e) {
            // ENOSYS: an older kernel; EPERM: a seccomp filter that does not know the call
            return e.errno() == ErrnoException.ENOSYS || e.errno() == ErrnoException.EPERM ? Mode.WALK : Mode.OPENAT2;
        }
    }

    /** Segments already checked for hidden names; a Found holds the opened descriptor. */
    Resolution resolve(List<String> segments) throws IOException {
        for (String segment : segments) {
            if (!TreePolicy.plainName(segment)) {
                return ServedTree.NOT_FOUND;
            }
        }
        Fd fd;
        try {
            fd = open(segments);
        } catch (ErrnoException e) {
            // ENOENT, ENOTDIR, ELOOP (a link where none may be), EXDEV (out of the root), ENAMETOOLONG...
            return e.isAccessDenied() ? ServedTree.FORBIDDEN : ServedTree.NOT_FOUND;
        }
        return check(fd, segments);
    }

    /** The descriptor of the object the segments lead to, by this tree's mode and policy. */
    private Fd open(List<String> segments) throws ErrnoException {
        byte[] relative = segments.isEmpty() ? DOT : String.join("/", segments).getBytes(StandardCharsets.UTF_8);
        if (policy.options.followSymlinks()) {
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
     * says so).
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
                return ServedTree.NOT_FOUND;
            }
            Path path;
            if (policy.options.followSymlinks()) {
                // (fd is this method's own until it is handed out: no other user can close it)
                Path real = Files.readSymbolicLink(fd.procPath());
                if (!policy.admits(real)) {
                    fd.close();
                    return ServedTree.NOT_FOUND;
                }
                path = real;
            } else {
                try {
                    path = policy.lexical(segments);
                } catch (InvalidPathException unmappable) {
                    // a name the JVM's file-name encoding (the locale's) cannot spell: the kernel's own
                    // account of the descriptor's path, as bytes
                    path = Files.readSymbolicLink(fd.procPath());
                }
            }
            if (info.isRegularFile() && !Files.isReadable(fd.procPath())) {
                // say so now, rather than have GET fail at open and HEAD claim a 200
                fd.close();
                return ServedTree.FORBIDDEN;
            }
            return new Resolution.Found(new FileHandle(path, fd, segments), info);
        } catch (IOException | RuntimeException e) {
            fd.close();
            throw e;
        }
    }
}
