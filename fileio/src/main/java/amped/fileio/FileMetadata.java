package amped.fileio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/**
 * Reads {@link FileInfo} with one stat call, never following a final symbolic link, or from a descriptor's
 * fstat. Blocking.
 */
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
            Map<String, Object> a = Files.readAttributes(path, "unix:ino,dev,mode,size,lastModifiedTime,ctime", LinkOption.NOFOLLOW_LINKS);
            // The "unix" view is not specified: the JDK's gives ino and size as Long, but another file
            // system's (Jimfs) gives ino as Integer, and its mode has only the permission bits, no file type.
            // Casting to Long threw ClassCastException there, and a mode without a type would make every
            // file OTHER; so read the numbers as Numbers, and take the kind from the basic view when the
            // mode does not carry it.
            int type = ((Number) a.get("mode")).intValue() & S_IFMT;
            if (type != 0) {
                FileInfo.Kind kind = type == S_IFREG ? FileInfo.Kind.REGULAR
                        : type == S_IFDIR ? FileInfo.Kind.DIRECTORY
                        : type == S_IFLNK ? FileInfo.Kind.SYMLINK : FileInfo.Kind.OTHER;
                return new FileInfo(kind, ((Number) a.get("size")).longValue(),
                        nanos((FileTime) a.get("lastModifiedTime")), ((Number) a.get("ino")).longValue(),
                        a.get("ctime") instanceof FileTime ctime ? nanos(ctime) : 0,
                        a.get("dev") instanceof Number dev ? dev.longValue() : 0);
            }
        }
        BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        FileInfo.Kind kind = a.isRegularFile() ? FileInfo.Kind.REGULAR
                : a.isDirectory() ? FileInfo.Kind.DIRECTORY
                : a.isSymbolicLink() ? FileInfo.Kind.SYMLINK : FileInfo.Kind.OTHER;
        Object key = a.fileKey();
        long identity = key == null ? 0 : key.hashCode();
        return new FileInfo(kind, a.size(), nanos(a.lastModifiedTime()), identity);
    }

    /** The info of what a descriptor refers to, from its fstat. */
    static FileInfo of(amped.fileio.sys.FileStat stat) {
        int type = stat.type();
        FileInfo.Kind kind = type == S_IFREG ? FileInfo.Kind.REGULAR
                : type == S_IFDIR ? FileInfo.Kind.DIRECTORY
                : type == S_IFLNK ? FileInfo.Kind.SYMLINK : FileInfo.Kind.OTHER;
        return new FileInfo(kind, stat.size(), stat.mtimeNanos(), stat.inode(), stat.ctimeNanos(), stat.device());
    }

    private static long nanos(FileTime time) {
        return time.to(java.util.concurrent.TimeUnit.NANOSECONDS);
    }
}
