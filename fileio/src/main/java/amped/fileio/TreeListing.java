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

    /** The entries a client may see, unsorted. Blocking. */
    List<Entry> list(FileHandle directory) throws IOException {
        Fd fd = directory.fd();
        if (fd == null) {
            return listByPath(directory.path(), directory.path());
        }
        if (!Dirents.available()) {
            fd.use();
            try {
                // entries are stat'ed as /proc/self/fd/N/name: in exactly this directory, whatever its name now
                return listByPath(fd.procPath(), directory.path());
            } finally {
                fd.release();
            }
        }
        return listByDescriptor(fd, directory.path());
    }

    /**
     * The listing read natively: names as the bytes they are (UTF-8 whatever the JVM's locale), each stat'ed
     * in exactly this directory. A name that is not valid UTF-8 could never be asked for: it is left out,
     * with one warning for the directory.
     */
    private List<Entry> listByDescriptor(Fd fd, Path realDirectory) throws IOException {
        List<Entry> entries = new ArrayList<>();
        int undecodable = 0;
        List<byte[]> names;
        try {
            names = Dirents.names(fd);
        } catch (ErrnoException e) {
            if (e.errno() == ErrnoException.ENOENT) {
                // removed since it was resolved: it has no entries
                return entries;
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
            add(entries, name, info);
        }
        if (undecodable > 0) {
            LOG.warn("{} name(s) in {} are not valid UTF-8: left out of its listing", undecodable, realDirectory);
        }
        return entries;
    }

    /** What the link {@code name} in the directory {@code dir} leads to, if beneath the root (and not hidden). */
    private FileInfo followedEntry(Fd dir, byte[] name) throws IOException {
        try (Fd target = OpenAt.openFollowing(dir, name)) {
            FileInfo info = FileMetadata.of(FileStat.of(target));
            return policy.admits(Files.readSymbolicLink(target.procPath())) ? info : null;
        }
    }

    private List<Entry> listByPath(Path directory, Path realDirectory) throws IOException {
        List<Entry> entries = new ArrayList<>();
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
                add(entries, name, info);
            }
        }
        return entries;
    }

    /** Adds a file or directory the policy let through (info not null); anything else is not listed. */
    private static void add(List<Entry> entries, String name, FileInfo info) {
        if (info != null && (info.isRegularFile() || info.isDirectory())) {
            entries.add(new Entry(name, info.isDirectory(), info.size(), info.lastModifiedMillis()));
        }
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
