package amped.fileio;

/**
 * What the server needs to know of a file: its kind, size, modification time and a stable identity (the
 * inode where the file system has one), from which validators are made.
 *
 * @param lastModifiedNanos modification time in nanoseconds since the epoch (file-system precision)
 * @param identity          stable across restarts for the same file: the inode number, or a hash of the
 *                          file key where there is no inode
 */
public record FileInfo(Kind kind, long size, long lastModifiedNanos, long identity) {

    /** OTHER: a device, FIFO or socket, never served. */
    public enum Kind { REGULAR, DIRECTORY, SYMLINK, OTHER }

    public long lastModifiedMillis() {
        return Math.floorDiv(lastModifiedNanos, 1_000_000L);
    }

    public boolean isRegularFile() {
        return kind == Kind.REGULAR;
    }

    public boolean isDirectory() {
        return kind == Kind.DIRECTORY;
    }
}
