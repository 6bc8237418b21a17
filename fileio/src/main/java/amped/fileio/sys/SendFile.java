package amped.fileio.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Zero-copy file sends: {@code sendfile(2)} from a file's descriptor into a non-blocking socket (the
 * kernel moves page-cache pages, no copy through user space), {@code readahead(2)} to bring a range into
 * the page cache first (on a disk helper: it blocks until read, so the send after it does not wait for
 * the disk), and {@code pread(2)} for the few bytes a socket that is full is given to wait with.
 */
public final class SendFile {

    /** What {@link #send} returns when the socket is full (EAGAIN). */
    public static final long SOCKET_FULL = -1;

    private static final MethodHandle SENDFILE = Native.AVAILABLE ? Native.downcallOrNull("sendfile",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS, ValueLayout.JAVA_LONG)) : null;
    private static final MethodHandle READAHEAD = Native.AVAILABLE ? Native.downcallOrNull("readahead",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG)) : null;
    private static final MethodHandle PREAD = Native.AVAILABLE ? Native.downcallOrNull("pread",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG)) : null;

    /** Whether zero-copy sends can be made here: the calls exist and the channels' descriptors can be had. */
    public static final boolean AVAILABLE = SENDFILE != null && READAHEAD != null && PREAD != null
            && ChannelDescriptors.AVAILABLE;

    private SendFile() {
    }

    /**
     * Sends up to {@code count} bytes of the file from {@code offset} into the socket.
     *
     * @return bytes sent; 0 when the file ends at {@code offset}; {@link #SOCKET_FULL} when the socket takes
     *         nothing now
     * @throws ErrnoException EPIPE, ECONNRESET (the client is gone), EIO...
     */
    public static long send(int socketFd, int fileFd, long offset, long count) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.captureState(arena);
            MemorySegment position = arena.allocate(ValueLayout.JAVA_LONG);
            position.set(ValueLayout.JAVA_LONG, 0, offset);
            long n = (long) SENDFILE.invokeExact(state, socketFd, fileFd, position, count);
            if (n >= 0) {
                return n;
            }
            int errno = Native.errno(state);
            if (errno == ErrnoException.EAGAIN) {
                return SOCKET_FULL;
            }
            throw new ErrnoException("sendfile", errno);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** Reads the range into the page cache; blocks until it is there. A disk helper's call. */
    public static void readAhead(int fileFd, long offset, long count) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.captureState(arena);
            long rc = (long) READAHEAD.invokeExact(state, fileFd, offset, count);
            if (rc < 0) {
                throw new ErrnoException("readahead", Native.errno(state));
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** Reads up to {@code into.length} bytes at {@code offset}; the count read, 0 at the end of the file. */
    public static int pread(int fileFd, byte[] into, long offset) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.captureState(arena);
            MemorySegment buffer = arena.allocate(into.length);
            long n = (long) PREAD.invokeExact(state, fileFd, buffer, (long) into.length, offset);
            if (n < 0) {
                throw new ErrnoException("pread", Native.errno(state));
            }
            MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 0, into, 0, (int) n);
            return (int) n;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }
}
