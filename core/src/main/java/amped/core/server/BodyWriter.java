package amped.core.server;

import amped.core.DiskJobHandler;
import amped.core.DiskReadHandler;
import amped.core.SendHandler;
import amped.fileio.ChunkedFileReader;
import amped.fileio.MappedFile;
import amped.protocol.ResponseHead;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;

/**
 * Sends one response: the head, then the body's segments in order (nginx's output chain, one link at a
 * time). Memory is copied into one pooled buffer; file ranges are read into it by a disk helper, or sent
 * straight from a mapping of the file (paged in by a disk helper first when not resident); each buffer is
 * written before the next is filled. At most one disk read, page-in or socket write is in flight, so one
 * buffer per response is enough and a 10 GiB file costs what a 1 MiB one does. What an operation uses is
 * released only once it has reported: a writer abandoned meanwhile waits for that report.
 */
final class BodyWriter implements SendHandler, DiskReadHandler, BufferPool.Waiter {

    /** The most of a mapping one write sends (and one residency check covers). */
    static final int MAPPED_SLICE = 2 * 1024 * 1024;

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
    private ByteBuffer buffer;
    private int headCopied;
    private int segment;
    private int segmentCopied;
    /** Bytes of the current file range already sent from the mapping. */
    private long segmentSent;
    private ChunkedFileReader reader;
    /** The mapped slice in {@link #out}, or null. */
    private MappedByteBuffer slice;
    /** What a write sends: the buffer, then a mapped slice (a gathering write), or one of them. */
    private final ByteBuffer[] out = new ByteBuffer[2];
    private int outCount;
    private long bytesSent;
    private long lastProgressNanos = System.nanoTime();
    private long diskReadStartNanos;
    private final PageIn pageIn = new PageIn();

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

    /** Takes a buffer (or waits in line for one) and starts sending. */
    void start() {
        // a body sent from a mapping needs buffer room only for the head and its memory segments
        long wanted = head.length() + (body.mapped != null ? body.memoryLength() : body.length);
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
     * Fills the buffer with what comes next — the rest of the head, memory segments — until it is full or
     * a file range needs a disk read (which continues here when it completes), then sends it.
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
                case ResponseBody.FileRange range when body.mapped != null -> {
                    sendMapped(range);
                    return;
                }
                case ResponseBody.FileRange range -> {
                    readFromDisk(range);
                    return;
                }
            }
        }
        send(null);
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

    /** The next slice of the mapping goes with the buffer; a disk helper pages it in first when it is not resident. */
    private void sendMapped(ResponseBody.FileRange range) {
        long position = range.offset() + segmentSent;
        MappedByteBuffer next = body.mapped.slice(position, (int) Math.min(range.length() - segmentSent, MAPPED_SLICE));
        if (MappedFile.resident(next)) {
            send(next);
            return;
        }
        // not in memory: paged in elsewhere, so the send cannot stall this thread
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
                send(paged);
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

    /** Sends the buffer's bytes and then, when given, a mapped slice, in one gathering write. */
    private void send(MappedByteBuffer mappedSlice) {
        buffer.flip();
        outCount = 0;
        if (buffer.hasRemaining() || mappedSlice == null) {
            out[outCount++] = buffer;
        }
        slice = mappedSlice;
        if (mappedSlice != null) {
            out[outCount++] = mappedSlice;
        }
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
        buffer.clear();
        if (slice != null) {
            segmentSent += slice.capacity();
            slice = null;
            if (segmentSent == body.segments.get(segment).length()) {
                segment++;
                segmentSent = 0;
            }
        }
        if (headCopied < head.length() || segment < body.segments.size()) {
            fill();
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
        out[0] = null;
        out[1] = null;
    }
}
