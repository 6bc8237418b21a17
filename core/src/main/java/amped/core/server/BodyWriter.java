package amped.core.server;

import amped.core.DiskJobHandler;
import amped.core.DiskReadHandler;
import amped.core.SendHandler;
import amped.fileio.ChunkedFileReader;
import amped.fileio.MappedFile;
import amped.fileio.sys.ChannelDescriptors;
import amped.fileio.sys.ErrnoException;
import amped.fileio.sys.SendFile;
import amped.protocol.ResponseHead;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;

/**
 * Sends one response: the head, then the body's segments in order (nginx's output chain, one link at a
 * time). Two routes:
 * <ul>
 *   <li>a body in memory or mapped is written as it is, without a pooled buffer: gathering writes of the
 *       head, memory segments and 2 MiB slices of the mapping (paged in by a disk helper first when not
 *       resident). A client that does not read then holds no part of the buffer budget, only references to
 *       bytes that exist anyway;</li>
 *   <li>a body read from an open file goes through one pooled buffer: a disk helper reads into it, it is
 *       written, and the next piece is read.</li>
 * </ul>
 * At most one disk read, page-in or socket write is in flight, so a 10 GiB file costs what a 1 MiB one
 * does. What an operation uses is released only once it has reported: a writer abandoned meanwhile waits
 * for that report.
 */
final class BodyWriter implements SendHandler, DiskReadHandler, BufferPool.Waiter {

    /** The most of a mapping one write sends (and one residency check covers). */
    static final int MAPPED_SLICE = 2 * 1024 * 1024;
    /** The most buffers one gathering write takes (a multipart body has two a range). */
    private static final int MAX_GATHER = 16;

    private static final int EPIPE = 32;
    private static final int ECONNRESET = 104;

    /** How a body could not be sent whole. */
    enum Failure {
        /** The file got shorter than the length already promised. */
        FILE_SHRANK,
        /** A disk read failed. */
        READ_FAILED,
        /** The client reset or vanished. */
        SEND_FAILED
    }

    /** Who hears how the sending goes. Dispatcher thread. */
    interface Owner {
        /** A write is starting (the send-stall deadline runs from here). */
        void sending();

        /** The whole response is out. */
        void sent();

        /**
         * It cannot be finished; the connection must close.
         *
         * @param fromMapping whether a mapping was being sent, which then is not to be trusted any more
         */
        void failed(Failure failure, boolean fromMapping, Throwable cause);
    }

    private enum State {
        /** Waiting in line for a pooled buffer. */
        AWAITING_BUFFER,
        /** A disk helper is reading the next piece of a file range into the buffer. */
        READING_DISK,
        /** A disk helper is paging in the next slice of the mapping. */
        PAGING_IN,
        /** The buffer (and maybe a mapped slice) is being written to the socket. */
        SENDING,
        /** Sent whole or failed; what it used is released. */
        DONE,
        /** Abandoned while an operation was in flight: released when that operation reports. */
        ABANDONED
    }

    private final ServingLoop loop;
    private final Transport transport;
    private final Owner owner;
    private final ResponseHead head;
    private final ResponseBody body;
    private State state = State.AWAITING_BUFFER;
    /** The pooled buffer of a body read from a file, or null. */
    private ByteBuffer buffer;
    /** The head as it is, for a body sent without a pooled buffer. */
    private ByteBuffer headView;
    private int headCopied;
    private int segment;
    private int segmentCopied;
    /** Bytes of the current file range already sent from the mapping. */
    private long segmentSent;
    private ChunkedFileReader reader;
    /** The mapped slice in {@link #out}, or null. */
    private MappedByteBuffer slice;
    /** What a write sends: the pooled buffer, or the head, memory segments and a mapped slice. */
    private final ByteBuffer[] out = new ByteBuffer[MAX_GATHER];
    private int outCount;
    private long bytesSent;
    private long lastProgressNanos = System.nanoTime();
    private long diskReadStartNanos;
    private final PageIn pageIn = new PageIn();
    /** Zero-copy route: the socket's and the file's descriptors, or -1. */
    private int socketFd = -1;
    private int fileFd = -1;
    /** Zero-copy route: the file's bytes up to here (absolute position) were read ahead into the page cache. */
    private long readAheadTo = -1;
    /** Zero-copy route: the few bytes written to wait for room in a full socket, while in flight; else null. */
    private ByteBuffer waitSlice;
    private byte[] waitBytes;
    private final ReadAhead readAhead = new ReadAhead();

    /** Takes over {@code body}: its file is closed and its mapping let go of when the writer is done. */
    BodyWriter(ServingLoop loop, Transport transport, Owner owner, ResponseHead head, ResponseBody body) {
        this.loop = loop;
        this.transport = transport;
        this.owner = owner;
        this.head = head;
        this.body = body;
        if (body.mapped != null) {
            body.mapped.retain();
        }
    }

    /** Starts sending: at once for a body in memory or mapped, else once a pooled buffer is there. */
    void start() {
        if (body.file != null && SendFile.AVAILABLE) {
            socketFd = transport.descriptor();
            fileFd = ChannelDescriptors.of(body.file);
        }
        if (body.file == null || (socketFd >= 0 && fileFd >= 0)) {
            headView = head.view();
            sendViews();
            return;
        }
        long wanted = head.length() + body.length;
        buffer = loop.pool.acquireOrWait((int) Math.min(wanted, Integer.MAX_VALUE), this);
        if (buffer == null) {
            loop.stats.bufferWaits++;
            return;
        }
        fill();
    }

    /** Bytes written to the socket so far, head included. */
    long bytesSent() {
        return bytesSent;
    }

    /** When a write last made progress (or the first began). */
    long lastProgressNanos() {
        return lastProgressNanos;
    }

    @Override
    public void bufferAvailable(ByteBuffer available) {
        buffer = available;
        fill();
    }

    @Override
    public boolean stillWaiting() {
        return state == State.AWAITING_BUFFER;
    }

    /**
     * Fills the pooled buffer with what comes next — the rest of the head, memory segments — until it is
     * full or a file range needs a disk read (which continues here when it completes), then sends it.
     */
    private void fill() {
        if (headCopied < head.length()) {
            int n = Math.min(buffer.remaining(), head.length() - headCopied);
            head.copyTo(buffer, headCopied, n);
            headCopied += n;
        }
        while (buffer.hasRemaining() && segment < body.segments.size()) {
            switch (body.segments.get(segment)) {
                case ResponseBody.Memory m -> copy(m);
                case ResponseBody.FileRange range -> {
                    readFromDisk(range);
                    return;
                }
            }
        }
        buffer.flip();
        out[0] = buffer;
        outCount = 1;
        send();
    }

    /**
     * The next gathering write of a body sent without a pooled buffer: what is left of the head, the memory
     * segments that follow, and the next slice of the mapping — paged in first by a disk helper when not
     * resident, so that the write cannot stall this thread on the disk.
     */
    private void sendViews() {
        outCount = 0;
        if (headView.hasRemaining()) {
            out[outCount++] = headView;
        }
        while (segment < body.segments.size() && outCount < MAX_GATHER) {
            switch (body.segments.get(segment)) {
                case ResponseBody.Memory m -> {
                    out[outCount++] = ByteBuffer.wrap(m.bytes(), m.offset(), m.count());
                    segment++;
                }
                case ResponseBody.FileRange range when body.mapped == null -> {
                    // zero-copy: what comes before it goes first
                    if (outCount > 0) {
                        send();
                    } else {
                        sendFileRange(range);
                    }
                    return;
                }
                case ResponseBody.FileRange range -> {
                    long position = range.offset() + segmentSent;
                    MappedByteBuffer next = body.mapped.slice(position,
                            (int) Math.min(range.length() - segmentSent, MAPPED_SLICE));
                    if (!MappedFile.resident(next)) {
                        if (outCount == 0) {
                            pageIn(next, position);
                            return;
                        }
                        // what comes before it goes first
                        send();
                        return;
                    }
                    out[outCount++] = next;
                    slice = next;
                    send();
                    return;
                }
            }
        }
        send();
    }

    private void copy(ResponseBody.Memory m) {
        int n = Math.min(buffer.remaining(), m.count() - segmentCopied);
        buffer.put(m.bytes(), m.offset() + segmentCopied, n);
        segmentCopied += n;
        if (segmentCopied == m.count()) {
            segment++;
            segmentCopied = 0;
        }
    }

    // ---- zero-copy: sendfile(2) from the page cache, read ahead by a disk helper ----

    /** Bytes of a file range read ahead (and then sent) at a time: one helper round trip each. */
    static final long SENDFILE_CHUNK = 1024 * 1024;
    /** Bytes written to wait for room when the socket is full: a pending write that holds next to nothing. */
    private static final int WAIT_BYTES = 512;

    /**
     * Sends the rest of a file range with sendfile(2), from pages a disk helper has just read ahead, so that
     * the dispatcher never waits for the disk and nothing passes through user space or a pooled buffer. A
     * full socket is waited for with an ordinary asynchronous write of its next few bytes.
     */
    private void sendFileRange(ResponseBody.FileRange range) {
        long position = range.offset() + segmentSent;
        long end = range.offset() + range.length();
        if (position == end) {
            segment++;
            segmentSent = 0;
            sendViews();
            return;
        }
        if (position >= readAheadTo) {
            startReadAhead(position, Math.min(SENDFILE_CHUNK, end - position));
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
            bytesSent += n;
            loop.stats.sent(n, loop.date.epochSecond());
            lastProgressNanos = System.nanoTime();
        }
        // this chunk is out: the next one is read ahead first (a turn sends at most a chunk: others get theirs)
        sendFileRange(range);
    }

    private void startReadAhead(long position, long count) {
        diskReadStartNanos = System.nanoTime();
        int fd = fileFd;
        loop.io.runOnDiskHelper(loop.diskHelpers, () -> {
            SendFile.readAhead(fd, position, count);
            return position + count;
        }, readAhead);
        state = State.READING_DISK;
        loop.stats.diskReadsStarted++;
    }

    /** A range read ahead into the page cache (or failing to be). */
    private final class ReadAhead implements DiskJobHandler<Long> {
        @Override
        public void onDiskJobDone(Long upTo) {
            if (diskReadEnded()) {
                readAheadTo = upTo;
                sendFileRange((ResponseBody.FileRange) body.segments.get(segment));
            }
        }

        @Override
        public void onDiskJobFailed(Throwable failure) {
            if (diskReadEnded()) {
                fail(Failure.READ_FAILED, false, failure);
            }
        }

        @Override
        public void handlerFailed(Throwable failure) {
            BodyWriter.this.handlerFailed(failure);
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

    /** A disk helper reads the slice's pages into the page cache; the slice is sent when that is done. */
    private void pageIn(MappedByteBuffer next, long position) {
        MappedFile mapped = body.mapped;
        diskReadStartNanos = System.nanoTime();
        loop.io.runOnDiskHelper(loop.diskHelpers, () -> {
            mapped.pageIn(position, next.capacity());
            return next;
        }, pageIn);
        // in flight only once started (its report is an event, never a nested call)
        state = State.PAGING_IN;
        loop.stats.diskReadsStarted++;
    }

    private void readFromDisk(ResponseBody.FileRange range) {
        if (reader == null) {
            reader = new ChunkedFileReader(body.file, range.offset(), range.length());
        }
        diskReadStartNanos = System.nanoTime();
        reader.readNext(buffer, this, loop.io.diskReadCompletion());
        // in flight only once started: a read that failed to start holds nothing
        state = State.READING_DISK;
        loop.stats.diskReadsStarted++;
    }

    /** A mapped slice paged in by a disk helper (or failing to be: the file got shorter, or a disk error). */
    private final class PageIn implements DiskJobHandler<MappedByteBuffer> {
        @Override
        public void onDiskJobDone(MappedByteBuffer paged) {
            if (diskReadEnded()) {
                out[0] = paged;
                outCount = 1;
                slice = paged;
                send();
            }
        }

        @Override
        public void onDiskJobFailed(Throwable failure) {
            if (diskReadEnded()) {
                fail(failure instanceof MappedFile.FileShrankException ? Failure.FILE_SHRANK : Failure.READ_FAILED,
                        false, failure);
            }
        }

        @Override
        public void handlerFailed(Throwable failure) {
            BodyWriter.this.handlerFailed(failure);
        }
    }

    @Override
    public void onDiskRead(int bytes) {
        if (!diskReadEnded()) {
            return;
        }
        buffer.limit(buffer.capacity());
        switch (reader.completed(bytes)) {
            case TRUNCATED -> {
                fail(Failure.FILE_SHRANK, false, null);
                return;
            }
            case DONE -> {
                reader = null;
                segment++;
            }
            case MORE -> {
                // the rest of the range comes with the next fill
            }
        }
        fill();
    }

    @Override
    public void onDiskReadFailed(Throwable failure) {
        if (diskReadEnded()) {
            fail(Failure.READ_FAILED, false, failure);
        }
    }

    /** Accounts for the end of a disk read or page-in; false when the writer was abandoned meanwhile. */
    private boolean diskReadEnded() {
        loop.stats.diskReadsDone++;
        loop.stats.diskReadTime.record(System.nanoTime() - diskReadStartNanos);
        return operationEnded();
    }

    /** Writes what {@link #out} holds. */
    private void send() {
        lastProgressNanos = System.nanoTime();
        owner.sending();
        write();
    }

    private void write() {
        transport.send(out, outCount, this);
        state = State.SENDING;
    }

    @Override
    public void onSent(long bytes) {
        if (!operationEnded()) {
            return;
        }
        loop.stats.sent(bytes, loop.date.epochSecond());
        bytesSent += bytes;
        if (bytes > 0) {
            lastProgressNanos = System.nanoTime();
        }
        if (outHasRemaining()) {
            // a partial write: the rest goes first
            write();
            return;
        }
        if (slice != null) {
            segmentSent += slice.capacity();
            slice = null;
            if (segmentSent == body.segments.get(segment).length()) {
                segment++;
                segmentSent = 0;
            }
        }
        if (waitSlice != null) {
            segmentSent += waitSlice.limit();
            waitSlice = null;
            sendFileRange((ResponseBody.FileRange) body.segments.get(segment));
            return;
        }
        if (buffer != null) {
            buffer.clear();
            if (headCopied < head.length() || segment < body.segments.size()) {
                fill();
                return;
            }
        } else if (headView.hasRemaining() || segment < body.segments.size()) {
            sendViews();
            return;
        }
        state = State.DONE;
        release();
        owner.sent();
    }

    @Override
    public void onSendFailed(Throwable failure) {
        if (!operationEnded()) {
            return;
        }
        // EFAULT (C locale message) from a mapped slice: part of it is gone, the file was truncated under the send
        boolean shrank = slice != null && "Bad address".equals(failure.getMessage());
        fail(shrank ? Failure.FILE_SHRANK : Failure.SEND_FAILED, slice != null, failure);
    }

    private boolean outHasRemaining() {
        for (int i = 0; i < outCount; i++) {
            if (out[i].hasRemaining()) {
                return true;
            }
        }
        return false;
    }

    /** An operation reported; false when the writer was abandoned meanwhile (and is released now). */
    private boolean operationEnded() {
        if (state == State.ABANDONED) {
            state = State.DONE;
            release();
            return false;
        }
        return true;
    }

    private void fail(Failure failure, boolean fromMapping, Throwable cause) {
        state = State.DONE;
        release();
        owner.failed(failure, fromMapping, cause);
    }

    @Override
    public void handlerFailed(Throwable failure) {
        if (state != State.DONE && state != State.ABANDONED) {
            fail(Failure.SEND_FAILED, false, failure);
        }
    }

    /**
     * The connection closed: what the writer uses is released now, or when the operation in flight reports
     * (it fails soon, the socket being closed).
     */
    void abandon() {
        switch (state) {
            case READING_DISK, PAGING_IN, SENDING -> state = State.ABANDONED;
            case AWAITING_BUFFER -> {
                state = State.DONE;
                release();
            }
            case DONE, ABANDONED -> {
                // released already, or will be
            }
        }
    }

    /** Returns the buffer, closes the file and lets go of the mapping: once. */
    private void release() {
        if (buffer != null) {
            ByteBuffer b = buffer;
            buffer = null;
            loop.pool.release(b);
        }
        loop.disk.close(body.file);
        if (body.mapped != null) {
            body.mapped.release();
        }
        reader = null;
        slice = null;
        waitSlice = null;
        java.util.Arrays.fill(out, null);
    }
}
