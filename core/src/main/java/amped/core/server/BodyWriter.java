package amped.core.server;

import amped.core.DiskJobHandler;
import amped.core.SendHandler;
import amped.fileio.MappedFile;
import amped.fileio.sys.ChannelDescriptors;
import amped.fileio.sys.SendFile;
import amped.protocol.ResponseHead;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Sends one response: the head, then the body's segments in order (nginx's output chain, one link at a
 * time), by one of three routes, chosen once per response ({@link #of}):
 * <ul>
 *   <li>{@link SendfileBodyWriter}: file ranges — of a mapped (cached) file or one read from disk — go by
 *       sendfile(2) from pages known to be in the page cache, the head and memory as they are; where the
 *       descriptors can be had (Linux);</li>
 *   <li>{@link MappedBodyWriter}: a body in memory or mapped is written as it is, in gathering writes of
 *       the head, memory segments and 2 MiB slices of the mapping (paged in by a disk helper first);</li>
 *   <li>{@link BufferedBodyWriter}: a file read by disk helpers into one pooled buffer, written, read again;</li>
 *   <li>{@link ZipBodyWriter}: a folder as a zip archive, its files read like the buffered route's.</li>
 * </ul>
 * Only the last takes a pooled buffer, so a client that does not read holds none of the budget on the
 * others. At most one disk operation or socket write is in flight, so a 10 GiB file costs what a 1 MiB one
 * does. What an operation uses is released only once it has reported: a writer abandoned meanwhile waits
 * for that report.
 */
abstract sealed class BodyWriter implements SendHandler
        permits SendfileBodyWriter, MappedBodyWriter, PooledBodyWriter {

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

    enum State {
        /** Waiting in line for a pooled buffer. */
        AWAITING_BUFFER,
        /** A disk helper is reading, paging in or reading ahead the next piece of a file. */
        READING_DISK,
        /** A write to the socket is in flight. */
        SENDING,
        /** Between operations (a route deciding what comes next). */
        READY,
        /** Sent whole or failed; what it used is released. */
        DONE,
        /** Abandoned while an operation was in flight: released when that operation reports. */
        ABANDONED
    }

    /** The most buffers one gathering write takes (a multipart body has two a range). */
    static final int MAX_GATHER = 16;

    final ServingLoop loop;
    final Transport transport;
    final Owner owner;
    final ResponseHead head;
    final ResponseBody body;
    /** The head as it is, for the routes that write it without copying. */
    final ByteBuffer headView;
    State state = State.READY;
    /** The segment being sent, and how much of it is out (or, for the buffered route, read). */
    int segment;
    long segmentSent;
    /** What the write in flight sends. */
    final ByteBuffer[] out = new ByteBuffer[MAX_GATHER];
    int outCount;
    private long bytesSent;
    private long lastProgressNanos = System.nanoTime();
    private long diskStartNanos;

    BodyWriter(ServingLoop loop, Transport transport, Owner owner, ResponseHead head, ResponseBody body) {
        this.loop = loop;
        this.transport = transport;
        this.owner = owner;
        this.head = head;
        this.body = body;
        this.headView = head.view();
        if (body.mapped != null) {
            body.mapped.retain();
        }
    }

    /**
     * The writer for {@code body}, which it takes over: its file is closed, its mapping let go of, at the end.
     *
     * @param readPending whether a read of the JDK's is pending on the socket: sendfile then stays off it (a
     *                    direct send on a socket the JDK also reads from, with the client resetting, was seen
     *                    to leave the listener's accept disarmed)
     */
    static BodyWriter of(ServingLoop loop, Transport transport, Owner owner, ResponseHead head, ResponseBody body,
                         boolean readPending) {
        if (body.archive != null) {
            return new ZipBodyWriter(loop, transport, owner, head, body);
        }
        if ((body.file != null || body.mapped != null) && SendFile.AVAILABLE && !readPending) {
            int socketFd = transport.descriptor();
            int fileFd = body.file != null ? ChannelDescriptors.of(body.file) : body.mapped.descriptor();
            if (socketFd >= 0 && fileFd >= 0) {
                return new SendfileBodyWriter(loop, transport, owner, head, body, socketFd, fileFd);
            }
        }
        return body.file == null ? new MappedBodyWriter(loop, transport, owner, head, body)
                : new BufferedBodyWriter(loop, transport, owner, head, body);
    }

    /** Starts sending. */
    abstract void start();

    /** A write completed whole: what comes next. */
    abstract void written();

    /** Whether the write in flight sends from a mapping (a failure then makes the mapping suspect). */
    boolean sendingFromMapping() {
        return false;
    }

    /** What the route itself holds, let go of once. */
    void releaseRoute() {
    }

    /** Bytes written to the socket so far, head included. */
    final long bytesSent() {
        return bytesSent;
    }

    /** When a write last made progress (or the first began). */
    final long lastProgressNanos() {
        return lastProgressNanos;
    }

    /** Bytes went out some other way than a write of {@link #out} (sendfile). */
    final void progressed(long n) {
        bytesSent += n;
        loop.stats.sent(n, loop.date.epochSecond());
        lastProgressNanos = System.nanoTime();
    }

    /**
     * Adds to {@link #out} what is left of the head and the memory segments that follow; stops at a file
     * range (returned) or when {@link #out} is full (null).
     */
    final ResponseBody.FileRange gather() {
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
                case ResponseBody.FileRange range -> {
                    return range;
                }
            }
        }
        return null;
    }

    /** Whether segments are left after the current one's end. */
    final boolean segmentsLeft() {
        return segment < body.segments.size();
    }

    /** Writes what {@link #out} holds. */
    final void send() {
        lastProgressNanos = System.nanoTime();
        owner.sending();
        write();
    }

    private void write() {
        transport.send(out, outCount, this);
        state = State.SENDING;
    }

    /** A disk helper's job starts (accounted as a disk read). */
    final void diskJobStarted() {
        diskStartNanos = System.nanoTime();
        state = State.READING_DISK;
        loop.stats.diskReadsStarted++;
    }

    /** A disk job reported; false when the writer was abandoned meanwhile (and is released now). */
    final boolean diskJobEnded() {
        loop.stats.diskReadsDone++;
        loop.stats.diskReadTime.record(System.nanoTime() - diskStartNanos);
        return operationEnded();
    }

    /** A disk helper's job for this writer: its failure, or its handler's, ends the body alike. */
    abstract class DiskJob<R> implements DiskJobHandler<R> {
        @Override
        public void onDiskJobFailed(Throwable failure) {
            if (diskJobEnded()) {
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
    public void onSent(long bytes) {
        if (!operationEnded()) {
            return;
        }
        loop.stats.sent(bytes, loop.date.epochSecond());
        bytesSent += bytes;
        if (bytes > 0) {
            lastProgressNanos = System.nanoTime();
        }
        for (int i = 0; i < outCount; i++) {
            if (out[i].hasRemaining()) {
                // a partial write: the rest goes first
                write();
                return;
            }
        }
        written();
    }

    @Override
    public void onSendFailed(Throwable failure) {
        if (!operationEnded()) {
            return;
        }
        boolean fromMapping = sendingFromMapping();
        // EFAULT (C locale message) from a mapped slice: part of it is gone, the file was truncated under the send
        boolean shrank = fromMapping && "Bad address".equals(failure.getMessage());
        fail(shrank ? Failure.FILE_SHRANK : Failure.SEND_FAILED, fromMapping, failure);
    }

    /** An operation reported; false when the writer was abandoned meanwhile (and is released now). */
    final boolean operationEnded() {
        if (state == State.ABANDONED) {
            state = State.DONE;
            release();
            return false;
        }
        state = State.READY;
        return true;
    }

    /** Everything is out. */
    final void done() {
        state = State.DONE;
        release();
        owner.sent();
    }

    final void fail(Failure failure, boolean fromMapping, Throwable cause) {
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
    final void abandon() {
        switch (state) {
            case READING_DISK, SENDING -> state = State.ABANDONED;
            case AWAITING_BUFFER, READY -> {
                state = State.DONE;
                release();
            }
            case DONE, ABANDONED -> {
                // released already, or will be
            }
        }
    }

    /** Closes the file, lets go of the mapping and what the route holds: once. */
    private void release() {
        releaseRoute();
        loop.disk.close(body.file);
        if (body.mapped != null) {
            body.mapped.release();
        }
        Arrays.fill(out, null);
    }
}
