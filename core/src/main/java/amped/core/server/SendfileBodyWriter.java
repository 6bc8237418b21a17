package amped.core.server;

import amped.fileio.MappedFile;
import amped.fileio.sys.ErrnoException;
import amped.fileio.sys.PageCache;
import amped.fileio.sys.SendFile;
import amped.protocol.ResponseHead;
import java.nio.ByteBuffer;
import java.util.concurrent.RejectedExecutionException;

/**
 * The zero-copy route of a file body (a cached mapping, or a file read from disk): the head and memory
 * segments are written as they are; file ranges go by sendfile(2), the kernel moving page-cache pages into
 * the socket, nothing through user space or a pooled buffer. Only pages known to be in the page cache are
 * sent on the dispatcher (cachestat; a mapping's mincore where that is missing); others are read in by a disk
 * helper first (readahead(2), which blocks until they are in, then a hint for the chunk after), so the
 * dispatcher never waits for the disk. A turn sends at most {@link #TURN_BYTES} of one connection; the rest
 * waits for a poll round (or its read-ahead). A full socket is waited for with an ordinary asynchronous
 * write of its next few bytes, whose completion resumes sendfile: a client that does not read holds 512
 * bytes. Truncation shows as a short send (errno and counts, never messages).
 */
final class SendfileBodyWriter extends BodyWriter {

    /** Bytes of a file range checked, or read in by a disk helper, at a time: one round trip each when cold. */
    static final long READ_AHEAD = 1024 * 1024;
    /**
     * The most one connection sends in a turn (sendfile calls until the socket is full or this is out): then
     * it waits for a poll round. Chosen with mixed.sh (a hot 1 KiB file beside 16 bulk downloads; ratios to
     * nginx, hot req/s / bulk MB/s, warm): 1 MiB 0.59 / 1.56; 512 KiB 0.84 / 1.16; 256 KiB 0.71 / 1.23
     * (median of 3); 192 KiB 0.94 / 1.08 (median of 3); 128 KiB 1.54–1.62 / 0.82–0.87. A trade: a smaller
     * share per turn serves the hot client sooner and costs the bulk downloads throughput.
     */
    static final long TURN_BYTES = 192 * 1024;
    /** Bytes written to wait for room when the socket is full. */
    private static final int WAIT_BYTES = 512;

    private final int socketFd;
    private final int fileFd;
    /**
     * The file's bytes up to here (absolute position) were read ahead into the page cache; -1 until the
     * response's first chunk is, so that chunk can go in the turn that answers the request.
     */
    private long readAheadTo = -1;
    /** The file's bytes up to here were hinted to the kernel (posix_fadvise WILLNEED). */
    private long hintedTo = -1;
    /** The few bytes written to wait for room in a full socket, while in flight; else null. */
    private ByteBuffer waitSlice;
    private byte[] waitBytes;
    private final ReadAhead readAhead = new ReadAhead();
    private final Runnable nextTurn = this::nextTurn;

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
        if (outCount == 1 && out[0] == headView && range != null && sendHeadWithRange(range)) {
            return;
        }
        if (outCount > 0) {
            send();
        } else if (range != null) {
            sendRange(range);
        } else {
            done();
        }
    }

    /**
     * The head alone before a file range whose first chunk is in memory: queued with MSG_MORE and followed at
     * once by the chunk's sendfile, so both go out together (a head sent apart costs a segment of its own
     * through the whole TCP path: 15% of the CPU of a 100 KiB response). False when it has to go the
     * ordinary way: not cached, no room, or only part of it taken (the rest is then written as usual).
     */
    private boolean sendHeadWithRange(ResponseBody.FileRange range) {
        long position = range.offset() + segmentSent;
        long count = Math.min(READ_AHEAD, range.length() - segmentSent);
        if (!SendFile.canSendMore() || count <= 0 || !inMemory(position, count)) {
            return false;
        }
        owner.sending();
        long n;
        try {
            n = SendFile.sendMore(socketFd, headView.array(), headView.arrayOffset() + headView.position(),
                    headView.remaining());
        } catch (ErrnoException e) {
            fail(Failure.SEND_FAILED, false, e);
            return true;
        }
        if (n == SendFile.SOCKET_FULL) {
            return false;
        }
        headView.position(headView.position() + (int) n);
        progressed(n);
        if (headView.hasRemaining()) {
            return false;
        }
        readAheadTo = position + count;
        hintNext(readAheadTo, range.offset() + range.length());
        sendRange(range);
        return true;
    }

    /** Whether the file's range is all in the page cache (cachestat; else a mapping's mincore). */
    private boolean inMemory(long position, long count) {
        // cachestat walks the cache's folios; mincore asks page by page (8% of the CPU of 100 KiB responses)
        return PageCache.canAsk() ? PageCache.cached(fileFd, position, count)
                : body.mapped != null && MappedFile.resident(body.mapped.slice(position, (int) count));
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
            startReadAhead(position, Math.min(READ_AHEAD, end - position), end);
            return;
        }
        owner.sending();
        long chunkEnd = Math.min(end, readAheadTo);
        long turnEnd = Math.min(chunkEnd, position + TURN_BYTES);
        while (position < turnEnd) {
            long n;
            try {
                n = SendFile.send(socketFd, fileFd, position, turnEnd - position);
            } catch (ErrnoException e) {
                fail(e.isPeerGone() ? Failure.SEND_FAILED : Failure.READ_FAILED,
                        sendingFromMapping(), e);
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
        if (position < chunkEnd) {
            // this turn's share is out: the rest after a poll round, every connection ready meanwhile first
            awaitTurn();
            return;
        }
        // the range, or what is known to be cached of it, is out: the next segment, or the next read-ahead
        sendRange(range);
    }

    private void awaitTurn() {
        loop.dispatcher.executeAfterPoll(nextTurn);
        state = State.SENDING; // a turn of its own is pending: an abandon waits for it
    }

    /**
     * Makes sure the next chunk is in the page cache before sendfile takes it. When the kernel says it is
     * (cachestat; a mapping's mincore where that is missing), the first chunk of a response goes at
     * once and later ones after the next poll round, the other connections served first; otherwise a disk
     * helper reads it in (the mapping's pread, or readahead(2)) and then asks for the chunk after it
     * (posix_fadvise), so that one is read while this one is sent.
     */
    private void startReadAhead(long position, long count, long end) {
        MappedFile mapped = body.mapped;
        if (inMemory(position, count)) {
            boolean firstChunk = readAheadTo < 0;
            readAheadTo = position + count;
            hintNext(position + count, end);
            if (firstChunk) {
                sendRange((ResponseBody.FileRange) body.segments.get(segment));
                return;
            }
            awaitTurn();
            return;
        }
        int fd = fileFd;
        long next = Math.min(READ_AHEAD, end - position - count);
        loop.io.runOnDiskHelper(loop.diskHelpers, () -> {
            if (mapped != null) {
                mapped.pageIn(position, (int) count);
            } else {
                SendFile.readAhead(fd, position, count);
            }
            PageCache.willNeed(fd, position + count, next);
            return position + count;
        }, readAhead);
        hintedTo = position + count + next;
        diskJobStarted();
    }

    /**
     * A file read from disk whose chunk was found cached (the last hint worked) hints the chunk after it, on a
     * helper and without waiting for it, so a cold download keeps one chunk being read ahead of the send.
     */
    private void hintNext(long from, long end) {
        long count = Math.min(READ_AHEAD, end - from);
        if (body.mapped != null || count <= 0 || from < hintedTo) {
            return;
        }
        hintedTo = from + count;
        int fd = fileFd;
        try {
            // a hint: should the file be closed before it runs, the kernel just refuses it or reads pages nobody asked
            loop.diskHelpers.execute(() -> PageCache.willNeed(fd, from, count));
        } catch (RejectedExecutionException shuttingDown) {
            // no hint then
        }
    }

    /** The next chunk of a range whose pages are in memory, sent in a turn of its own. */
    private void nextTurn() {
        if (operationEnded()) {
            sendRange((ResponseBody.FileRange) body.segments.get(segment));
        }
    }

    /** A range read ahead into the page cache (or failing to be). */
    private final class ReadAhead extends DiskJob<Long> {
        @Override
        public void onDiskJobDone(Long upTo) {
            if (diskJobEnded()) {
                readAheadTo = upTo;
                sendRange((ResponseBody.FileRange) body.segments.get(segment));
            }
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

    /** A failed send from a cached mapping makes the cache look the file up afresh, as on the copying route. */
    @Override
    boolean sendingFromMapping() {
        return body.mapped != null;
    }

    @Override
    void releaseRoute() {
        waitSlice = null;
    }
}
