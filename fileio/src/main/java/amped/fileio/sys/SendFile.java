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

    private static final MethodHandle SEND = Native.AVAILABLE ? Native.downcallOrNull("send",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT)) : null;
    /** More follows at once (the head is held to go out in one segment with the body), don't block, no SIGPIPE. */
    private static final int MSG_MORE_DONTWAIT_NOSIGNAL = 0x8000 | 0x40 | 0x4000;

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

    /**
     * Queues up to {@code length} bytes of {@code bytes} on the socket with MSG_MORE: the kernel holds them
     * until the sendfile that follows at once, so head and body leave in the same segments (nginx corks
     * the socket for the same). Not available where {@link #canSendMore} is false.
     *
     * @return bytes queued, or {@link #SOCKET_FULL}
     * @throws ErrnoException EPIPE, ECONNRESET (the client is gone)...
     */
    public static long sendMore(int socketFd, byte[] bytes, int offset, int length) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Native.captureState(arena);
            MemorySegment buffer = arena.allocate(length);
            MemorySegment.copy(bytes, offset, buffer, ValueLayout.JAVA_BYTE, 0, length);
            long n = (long) SEND.invokeExact(state, socketFd, buffer, (long) length, MSG_MORE_DONTWAIT_NOSIGNAL);
            if (n >= 0) {
                return n;
            }
            int errno = Native.errno(state);
            if (errno == ErrnoException.EAGAIN) {
                return SOCKET_FULL;
            }
            throw new ErrnoException("send", errno);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** Whether {@link #sendMore} can be called here. */
    public static boolean canSendMore() {
        return SEND != null;
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
