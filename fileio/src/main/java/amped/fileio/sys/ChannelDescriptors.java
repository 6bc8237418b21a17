package amped.fileio.sys;

import java.io.FileDescriptor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.FileChannel;

/**
 * The descriptor numbers behind the JDK's asynchronous channels, for the system calls the JDK does not
 * make itself ({@link SendFile}). Read from the JDK's own classes, which needs
 * {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED} (the jar's manifest says {@code Add-Opens}); where
 * that is not granted, or the JDK's classes differ, {@link #AVAILABLE} is false and callers take their
 * portable path.
 */
public final class ChannelDescriptors {

    public static final boolean AVAILABLE;
    private static final Field SOCKET_FD;
    private static final Field FILE_FD;
    private static final Field BLOCKING_FILE_FD;
    private static final Method FD_VAL;

    static {
        Field socket = null;
        Field file = null;
        Field blockingFile = null;
        Method fdVal = null;
        boolean ok = false;
        try {
            socket = Class.forName("sun.nio.ch.UnixAsynchronousSocketChannelImpl").getDeclaredField("fdVal");
            file = Class.forName("sun.nio.ch.AsynchronousFileChannelImpl").getDeclaredField("fdObj");
            blockingFile = Class.forName("sun.nio.ch.FileChannelImpl").getDeclaredField("fd");
            fdVal = Class.forName("sun.nio.ch.IOUtil").getDeclaredMethod("fdVal", FileDescriptor.class);
            socket.setAccessible(true);
            file.setAccessible(true);
            blockingFile.setAccessible(true);
            fdVal.setAccessible(true);
            ok = true;
        } catch (ReflectiveOperationException | RuntimeException notOpened) {
            // not opened to us, or another JDK's classes: no descriptors, no zero-copy
        }
        SOCKET_FD = socket;
        FILE_FD = file;
        BLOCKING_FILE_FD = blockingFile;
        FD_VAL = fdVal;
        AVAILABLE = ok;
    }

    private ChannelDescriptors() {
    }

    /** The socket's descriptor, or -1 where it cannot be had. Valid while the channel is open. */
    public static int of(AsynchronousSocketChannel channel) {
        if (!AVAILABLE || !SOCKET_FD.getDeclaringClass().isInstance(channel)) {
            return -1;
        }
        try {
            return SOCKET_FD.getInt(channel);
        } catch (IllegalAccessException e) {
            return -1;
        }
    }

    /** The file's descriptor, or -1 where it cannot be had. Valid while the channel is open. */
    public static int of(AsynchronousFileChannel channel) {
        if (!AVAILABLE || !FILE_FD.getDeclaringClass().isInstance(channel)) {
            return -1;
        }
        try {
            return (int) FD_VAL.invoke(null, FILE_FD.get(channel));
        } catch (ReflectiveOperationException e) {
            return -1;
        }
    }

    /** The file's descriptor, or -1 where it cannot be had. Valid while the channel is open. */
    public static int of(FileChannel channel) {
        if (!AVAILABLE || !BLOCKING_FILE_FD.getDeclaringClass().isInstance(channel)) {
            return -1;
        }
        try {
            return (int) FD_VAL.invoke(null, BLOCKING_FILE_FD.get(channel));
        } catch (ReflectiveOperationException e) {
            return -1;
        }
    }
}
