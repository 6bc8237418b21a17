package amped.fileio.sys;

import java.io.IOException;

/** A system call failed with {@link #errno()}. */
public final class ErrnoException extends IOException {

    private static final long serialVersionUID = 1L;

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    public static final int EACCES = 13;
    public static final int EXDEV = 18;
    public static final int ENOTDIR = 20;
    public static final int EINVAL = 22;
    public static final int EPIPE = 32;
    public static final int ENAMETOOLONG = 36;
    public static final int ENOSYS = 38;
    public static final int ELOOP = 40;
    public static final int ECONNRESET = 104;

    private final int errno;

    public ErrnoException(String call, int errno) {
        super(call + " failed: errno " + errno);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }

    /** The peer of a socket is gone (it closed or reset the connection). */
    public boolean isPeerGone() {
        return errno == EPIPE || errno == ECONNRESET;
    }

    /** Permission to search or read was denied. */
    public boolean isAccessDenied() {
        return errno == EACCES || errno == EPERM;
    }
}
