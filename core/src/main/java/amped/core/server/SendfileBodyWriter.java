package amped.core.server;

import amped.core.DiskJobHandler;
import amped.fileio.sys.ErrnoException;
import amped.fileio.sys.SendFile;
import amped.protocol.ResponseHead;
import java.nio.ByteBuffer;

/**
 * The zero-copy route of a body read from a file: the head and memory segments are written as they are;
 * file ranges go by sendfile(2), the kernel moving page-cache pages into the socket, nothing through user
 * space or a pooled buffer. A disk helper reads each chunk ahead first (readahead(2), which blocks until
 * the pages are in), so the dispatcher never waits for the disk; a turn sends at most a chunk of one
 * connection, and the next chunk's read-ahead lets the others have theirs. A full socket is waited for
 * with an ordinary asynchronous write of its next few bytes, whose completion resumes sendfile: a client
 * that does not read holds 512 bytes. Truncation shows as a short send (errno and counts, never messages).
 */
final class SendfileBodyWriter extends BodyWriter {

    /** Bytes of a file range read ahead (and then sent) at a time: one helper round trip each. */
    static final long CHUNK = 1024 * 1024;
    /** Bytes written to wait for room when the socket is full. */
    private static final int WAIT_BYTES = 512;
    private static final int EPIPE = 32;
    private static final int ECONNRESET = 104;

    private final int socketFd;
    private final int fileFd;
    /** The file's bytes up to here (absolute position) were read ahead into the page cache. */
    private long readAheadTo = -1;
    /** The few bytes written to wait for room in a full socket, while in flight; else null. */
    private ByteBuffer waitSlice;
    private byte[] waitBytes;
    private final ReadAhead readAhead = new ReadAhead();

    SendfileBodyWriter(ServingLoop loop, Transport transport, Owner owner, ResponseHead head, ResponseBody body,
                       int socketFd, int fileFd) {
        super(loop, transport, owner, head, body);
        this.socketFd = socketFd;
        this.fileFd = fileFd;
    }

    @Override
    void start() {
        sendNext();
    }

    /** The head's rest and memory segments in one write; at a file range, that range. */
    private void sendNext() {
        ResponseBody.FileRange range = gather();
        if (outCount > 0) {
            send();
        } else if (range != null) {
            sendRange(range);
        } else {
            done();
        }
    }

    @Override
    void written() {
        if (waitSlice != null) {
            segmentSent += waitSlice.limit();
            waitSlice = null;
            sendRange((ResponseBody.FileRange) body.segments.get(segment));
        } else {
            sendNext();
        }
    }

    /** Sends what is read ahead of the range by sendfile, reading the next chunk ahead when it is out. */
    private void sendRange(ResponseBody.FileRange range) {
        long position = range.offset() + segmentSent;
        long end = range.offset() + range.length();
        if (position == end) {
            segment++;
            segmentSent = 0;
            sendNext();
            return;
        }
        if (position >= readAheadTo) {
            startReadAhead(position, Math.min(CHUNK, end - position));
            return;
        }
        owner.sending();
        long chunkEnd = Math.min(end, readAheadTo);
        while (position < chunkEnd) {
            long n;
            try {
                n = SendFile.send(socketFd, fileFd, position, chunkEnd - position);
            } catch (ErrnoException e) {
                fail(e.errno() == EPIPE || e.errno() == ECONNRESET ? Failure.SEND_FAILED : Failure.READ_FAILED,
                        false, e);
                return;
            }
            if (n == 0) {
                fail(Failure.FILE_SHRANK, false, null);
                return;
            }
            if (n == SendFile.SOCKET_FULL) {
                waitForRoom(position, chunkEnd);
                return;
            }
            position += n;
            segmentSent += n;
            progressed(n);
        }
        // this chunk is out: the next is read ahead first (a turn sends at most a chunk: others get theirs)
        sendRange(range);
    }

    private void startReadAhead(long position, long count) {
        int fd = fileFd;
        loop.io.runOnDiskHelper(loop.diskHelpers, () -> {
            SendFile.readAhead(fd, position, count);
            return position + count;
        }, readAhead);
        diskJobStarted();
    }

    /** A range read ahead into the page cache (or failing to be). */
    private final class ReadAhead implements DiskJobHandler<Long> {
        @Override
        public void onDiskJobDone(Long upTo) {
            if (diskJobEnded()) {
                readAheadTo = upTo;
                sendRange((ResponseBody.FileRange) body.segments.get(segment));
            }
        }

        @Override
        public void onDiskJobFailed(Throwable failure) {
            if (diskJobEnded()) {
                fail(Failure.READ_FAILED, false, failure);
            }
        }

        @Override
        public void handlerFailed(Throwable failure) {
            SendfileBodyWriter.this.handlerFailed(failure);
        }
    }

    /** The socket is full: its next few bytes, read from the page cache, go as a write that waits for room. */
    private void waitForRoom(long position, long chunkEnd) {
        if (waitBytes == null) {
            waitBytes = new byte[WAIT_BYTES];
        }
        int n;
        try {
            n = SendFile.pread(fileFd, waitBytes, position);
        } catch (ErrnoException e) {
            fail(Failure.READ_FAILED, false, e);
            return;
        }
        if (n == 0) {
            fail(Failure.FILE_SHRANK, false, null);
            return;
        }
        waitSlice = ByteBuffer.wrap(waitBytes, 0, (int) Math.min(n, chunkEnd - position));
        out[0] = waitSlice;
        outCount = 1;
        send();
    }

    @Override
    void releaseRoute() {
        waitSlice = null;
    }
}
