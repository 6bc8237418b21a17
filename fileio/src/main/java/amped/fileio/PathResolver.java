package amped.fileio;

import amped.fileio.ServedTree.Resolution;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;

/**
 * The portable resolution, where there are no native calls: the tree's policy checked on paths
 * ({@code toRealPath}, lstat), the file later reopened by path. Weaker: a directory swapped for a link
 * between the check and the open is not noticed.
 */
final class PathResolver {

    private final TreePolicy policy;

    PathResolver(TreePolicy policy) {
        this.policy = policy;
    }

    /** Segments already checked for hidden names; a Found holds only the real path. */
    Resolution resolve(List<String> segments) throws IOException {
        Path lexical = policy.lexical(segments);
        Path real;
        try {
            real = lexical.toRealPath();
        } catch (NoSuchFileException | NotDirectoryException e) {
            return ServedTree.NOT_FOUND;
        } catch (AccessDeniedException e) {
            return ServedTree.FORBIDDEN;
        } catch (FileSystemException e) {
            // ELOOP, ENAMETOOLONG and the like: nothing servable there
            return ServedTree.NOT_FOUND;
        }
        if (!real.equals(lexical) && (!policy.options.followSymlinks() || !policy.admits(real))) {
            return ServedTree.NOT_FOUND;
        }
        FileInfo info;
        try {
            info = FileMetadata.read(real);
        } catch (NoSuchFileException e) {
            return ServedTree.NOT_FOUND;
        }
        if (!info.isRegularFile() && !info.isDirectory()) {
            return ServedTree.NOT_FOUND;
        }
        if (info.isRegularFile() && !Files.isReadable(real)) {
            return ServedTree.FORBIDDEN;
        }
        return new Resolution.Found(new FileHandle(real, null, segments), info);
    }
}
