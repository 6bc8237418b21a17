package amped.fileio;

/**
 * What the server needs to know of a file: its kind, size, modification and change times and a stable
 * identity (the inode where the file system has one). Validators are made of the size and modification
 * time only (a copy keeps those; the inode is neither kept nor shown to clients). Two infos are equal
 * only when all of it is: a same-size edit that sets the modification time back ({@code touch -r},
 * {@code cp -p}) still moves the change time, so revalidation by {@code equals} sees it.
 *
 * @param lastModifiedNanos modification time in nanoseconds since the epoch (file-system precision)
 * @param identity          stable across restarts for the same file: the inode number, or a hash of the
 *                          file key where there is no inode
 * @param changedNanos      status change time (ctime) in nanoseconds since the epoch, 0 where unknown
 * @param device            the device the file is on, 0 where unknown
 */
public record FileInfo(Kind kind, long size, long lastModifiedNanos, long identity, long changedNanos, long device) {

    /** OTHER: a device, FIFO or socket, never served. */
    public enum Kind { REGULAR, DIRECTORY, SYMLINK, OTHER }

    /** An info without change time or device (file systems that have neither). */
    public FileInfo(Kind kind, long size, long lastModifiedNanos, long identity) {
        this(kind, size, lastModifiedNanos, identity, 0, 0);
    }

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
