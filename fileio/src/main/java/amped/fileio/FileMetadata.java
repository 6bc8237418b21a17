package amped.fileio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/** Reads {@link FileInfo} with one stat call, never following a final symbolic link. Blocking. */
public final class FileMetadata {

    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFLNK = 0120000;

    private FileMetadata() {
    }

    public static FileInfo read(Path path) throws IOException {
        if (path.getFileSystem().supportedFileAttributeViews().contains("unix")) {
            // the unix view gives the inode (a stable identity) and the exact file type in the same stat
            Map<String, Object> a = Files.readAttributes(path, "unix:ino,mode,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
            int type = ((Integer) a.get("mode")) & S_IFMT;
            FileInfo.Kind kind = type == S_IFREG ? FileInfo.Kind.REGULAR
                    : type == S_IFDIR ? FileInfo.Kind.DIRECTORY
                    : type == S_IFLNK ? FileInfo.Kind.SYMLINK : FileInfo.Kind.OTHER;
            return new FileInfo(kind, (Long) a.get("size"), nanos((FileTime) a.get("lastModifiedTime")), (Long) a.get("ino"));
        }
        BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        FileInfo.Kind kind = a.isRegularFile() ? FileInfo.Kind.REGULAR
                : a.isDirectory() ? FileInfo.Kind.DIRECTORY
                : a.isSymbolicLink() ? FileInfo.Kind.SYMLINK : FileInfo.Kind.OTHER;
        Object key = a.fileKey();
        long identity = key == null ? 0 : key.hashCode();
        return new FileInfo(kind, a.size(), nanos(a.lastModifiedTime()), identity);
    }

    private static long nanos(FileTime time) {
        return time.to(java.util.concurrent.TimeUnit.NANOSECONDS);
    }
}
