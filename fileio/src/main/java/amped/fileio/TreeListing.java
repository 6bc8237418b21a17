package amped.fileio;

import amped.fileio.ServedTree.Entry;
import amped.fileio.ServedTree.Resolution;
import amped.fileio.sys.Dirents;
import amped.fileio.sys.ErrnoException;
import amped.fileio.sys.Fd;
import amped.fileio.sys.FileStat;
import amped.fileio.sys.OpenAt;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Directory listings of the served tree, by its policy: no dotfiles unless shown, no links unless followed
 * (and then only those leading to something beneath the root), no devices, FIFOs or sockets. Read from
 * exactly the directory resolved.
 */
final class TreeListing {

    /** (under the tree's name, as operators know it) */
    private static final Logger LOG = LoggerFactory.getLogger(ServedTree.class);

    private final TreePolicy policy;
    private final ServedTree tree;

    TreeListing(TreePolicy policy, ServedTree tree) {
        this.policy = policy;
        this.tree = tree;
    }

    /**
     * The entries a client may see, unsorted, each handed to {@code sink} as soon as it is stat'ed; reading
     * stops early when the sink answers false (nobody wants the listing any more, or it would not fit its
     * memory budget). Returns whether every entry was handed over. Blocking.
     */
    boolean list(FileHandle directory, Predicate<Entry> sink) throws IOException {
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
            if (policy.hides(name)) {
                continue;
            }
            FileInfo info;
            try {
                info = FileMetadata.of(FileStat.ofEntry(fd, raw));
                if (info.kind() == FileInfo.Kind.SYMLINK) {
                    info = policy.options.followSymlinks() ? followedEntry(fd, raw) : null;
                }
            } catch (ErrnoException vanishedOrDangling) {
                continue;
            }
            if (!offer(sink, name, info)) {
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
            return policy.admits(Files.readSymbolicLink(target.procPath())) ? info : null;
        }
    }

    private boolean listByPath(Path directory, Path realDirectory, Predicate<Entry> sink) throws IOException {
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            for (Path child : stream) {
                String name = child.getFileName().toString();
                if (policy.hides(name)) {
                    continue;
                }
                FileInfo info;
                try {
                    info = FileMetadata.read(child);
                    if (info.kind() == FileInfo.Kind.SYMLINK) {
                        info = policy.options.followSymlinks() ? followed(realDirectory.resolve(name)) : null;
                    }
                } catch (IOException vanishedOrDangling) {
                    continue;
                }
                if (!offer(sink, name, info)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Hands a file or directory the policy let through (info not null) to the sink; anything else is not
     * listed. False when the sink wants no more.
     */
    private static boolean offer(Predicate<Entry> sink, String name, FileInfo info) {
        if (info != null && (info.isRegularFile() || info.isDirectory())) {
            return sink.test(new Entry(name, info.isDirectory(), info.size(), info.lastModifiedMillis()));
        }
        return true;
    }

    /** What a link in the tree leads to if the policy admits it, else null: resolved as a request would be. */
    private FileInfo followed(Path link) throws IOException {
        List<String> segments = policy.segments(link);
        if (segments != null && tree.resolve(segments) instanceof Resolution.Found f) {
            f.close();
            return f.info();
        }
        return null;
    }
}
