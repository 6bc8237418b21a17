package amped.core.server;

import amped.core.DiskJobHandler;
import amped.core.DiskReadHandler;
import amped.core.ReceiveHandler;
import amped.core.SendHandler;
import amped.core.Timer;
import amped.core.log.AccessRecord;
import amped.fileio.ChunkedFileReader;
import amped.fileio.MappedFile;
import amped.protocol.ErrorResponses;
import amped.protocol.HttpVersion;
import amped.protocol.RequestHead;
import amped.protocol.RequestParser;
import amped.protocol.RequestRoute;
import amped.protocol.RequestTarget;
import amped.protocol.encoding.ContentCoding;
import java.util.List;
import amped.protocol.ResponseHead;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: an explicit state machine driven by the events of its dispatcher, and touched by
 * no other thread. A request flows top to bottom:
 * <pre>
 *   receive → parse → route → look the file up (file cache, else a disk helper) → take a buffer
 *     → fill it: head, then memory or (disk helper) a file read → send it → … → next request or close
 *     (a mapped file: head and a slice of the mapping in one write, paged in by a disk helper if need be)
 * </pre>
 * At most one socket read, or one disk operation, or one socket write is in flight, so one pooled buffer
 * per response is enough and a 10 GiB file costs what a 1 MiB one does. A buffer or file is released only
 * when no operation still uses it: after a close, the failure of the operation in flight does it.
 */
final class Connection implements ReceiveHandler, SendHandler, DiskReadHandler, DiskJobHandler<Lookup>, BufferPool.Waiter {

    private static final Logger log = LoggerFactory.getLogger(Connection.class);
    /** Bytes read per socket read; the parser keeps partial lines itself, so this can stay small. */
    static final int READ_BUFFER = 4096;
    /** The most of a mapping one write sends (and one residency check covers). */
    private static final int MAPPED_SLICE = 2 * 1024 * 1024;
    private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long LINGER_MAX_BYTES = 256 * 1024;
    private static final byte[] CONNECTION_CLOSE = ResponseHead.fieldLine("Connection", "close");
    private static final byte[] CONNECTION_KEEP_ALIVE = ResponseHead.fieldLine("Connection", "keep-alive");
    private static final byte[] ALLOW = ResponseHead.fieldLine("Allow", RequestRoute.ALLOW);
    private static final byte[] SERVER = ResponseHead.fieldLine("Server", "amped/" + Version.VERSION);

    private enum State {
        /** A socket read is in flight, for the next request's bytes. */
        READING,
        /** A disk helper is looking the requested path up. */
        RESOLVING,
        /** Waiting in line for a pooled buffer. */
        AWAITING_BUFFER,
        /** A disk helper is reading the next piece of the file into the buffer. */
        READING_DISK,
        /** The buffer is being written to the socket. */
        SENDING,
        /** The last response is out and the output shut: reading and dropping what the client still sends. */
        LINGERING,
        CLOSED
    }

    private enum Deadline { NONE, HEADER, IDLE, SEND, LINGER }

    private final ServingLoop loop;
    private final AsynchronousSocketChannel channel;
    private final String peer;
    private final boolean fromLoopback;
    private final ByteBuffer in = ByteBuffer.allocate(READ_BUFFER);
    private final RequestParser parser;
    private final ResponseHead head = new ResponseHead();
    private final Timer timer = new Timer(this::onDeadline);
    private State state = State.READING;
    private Deadline deadline = Deadline.NONE;
    private long deadlineAt;
    private boolean writing;
    private boolean diskReading;
    private boolean draining;

    // the request being answered
    private RequestHead request;
    private RequestTarget target;
    /** The cache key of a lookup in flight whose outcome the cache should keep, or null. */
    private String cacheKey;
    /** What the cache held for that key when the lookup started; its mappings are held meanwhile. */
    private Resolved previous;
    private long lookupStartedNanos;
    private boolean headOnly;
    private boolean keepAlive;
    private ResponseBody body;
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
    private final PageIn pageIn = new PageIn();
    private ByteBuffer buffer;
    private long lastProgressNanos;
    private long lingered;

    // accounting of the response being sent, for the access log, the metrics and the status page
    private boolean responding;
    private long requestStartNanos;
    private long requestStartMillis;
    private long responseBytes;
    private int headLength;
    private long diskReadStartNanos;

    Connection(ServingLoop loop, AsynchronousSocketChannel channel) {
        this.loop = loop;
        this.channel = channel;
        this.parser = new RequestParser(loop.config.parseLimits);
        InetSocketAddress remote = remoteAddress(channel);
        this.peer = remote == null ? "-" : remote.getAddress().getHostAddress();
        this.fromLoopback = remote != null && remote.getAddress().isLoopbackAddress();
        in.limit(0);
    }

    /** Begins reading the first request; a client that sends no complete head in time is closed. */
    void start() {
        assert onDispatcher();
        arm(Deadline.HEADER, loop.config.headerTimeout.toNanos());
        receive();
    }

    // ---- receive and parse ----

    private void receive() {
        state = State.READING;
        in.compact();
        loop.io.receive(channel, in, this);
    }

    @Override
    public void onReceived(int bytes) {
        assert onDispatcher();
        if (state == State.CLOSED) {
            return;
        }
        if (state == State.LINGERING) {
            lingered += Math.max(bytes, 0);
            if (bytes < 0 || lingered > LINGER_MAX_BYTES) {
                close();
            } else {
                in.clear();
                loop.io.receive(channel, in, this);
            }
            return;
        }
        in.flip();
        if (bytes < 0) {
            // the client closed its side; whatever it had half-sent can never be answered
            close();
            return;
        }
        processInput();
    }

    @Override
    public void onReceiveFailed(Throwable failure) {
        assert onDispatcher();
        if (state != State.CLOSED) {
            // reset by the peer, or closed under a read: either way the conversation is over
            log.debug("receiving from {} failed: {}", peer, failure.toString());
            close();
        }
    }

    /** Parses buffered input: answers the next complete request, or reads more. */
    private void processInput() {
        switch (parser.parse(in)) {
            case NEED_MORE:
                if (draining && parser.isIdle()) {
                    close();
                    return;
                }
                if (parser.isIdle()) {
                    arm(Deadline.IDLE, loop.config.idleTimeout.toNanos());
                } else if (deadline != Deadline.HEADER) {
                    // the header timeout runs from the first byte of each request
                    arm(Deadline.HEADER, loop.config.headerTimeout.toNanos());
                }
                receive();
                return;
            case HEAD_COMPLETE:
                disarm();
                onRequest(parser.head());
                return;
            case ERROR:
            default:
                disarm();
                if (parser.inBody()) {
                    // the response to this request is already out: nothing sensible is left to say
                    close();
                } else {
                    loop.stats.malformed++;
                    beginResponse(null);
                    headOnly = parser.head().method() == amped.protocol.Method.HEAD;
                    respondWithError(parser.errorStatus());
                }
        }
    }

    // ---- route and look up ----

    private void onRequest(RequestHead head) {
        beginResponse(head);
        loop.stats.requests++;
        // a client waiting for 100-continue may never send the body we would have to skip to go on
        keepAlive = head.keepAlive() && !draining && !(head.expectsContinue() && head.hasBody());
        RequestRoute route = RequestRoute.of(head);
        if (route instanceof RequestRoute.Lookup) {
            RequestRoute.Lookup lookup = (RequestRoute.Lookup) route;
            headOnly = lookup.headOnly();
            state = State.RESOLVING;
            if (loop.status != null && loop.status.handles(lookup.target(), fromLoopback)) {
                loop.status.respond(lookup.target(), loop, this::respondGenerated);
                return;
            }
            lookUp(lookup.target());
        } else if (route instanceof RequestRoute.Options) {
            this.head.start(204).line(ALLOW);
            startResponse(ResponseBody.EMPTY);
        } else {
            RequestRoute.Reject reject = (RequestRoute.Reject) route;
            // a target we cannot make sense of is a malformed request: answer and close
            keepAlive &= reject.status() != 400;
            ResponseBody error = ResponseBody.of(ErrorResponses.write(reject.status(), this.head).content());
            if (reject.allow()) {
                this.head.line(ALLOW);
            }
            startResponse(error);
        }
    }

    /**
     * Finds what the target names: from the file cache when it can (no disk helper at all), otherwise with
     * a lookup on a disk helper. Of concurrent lookups of one path only the first (the cache's "leader")
     * may map the file and have its outcome kept; the others are served as they come, so that a burst of
     * misses maps a file once, not once each.
     */
    private void lookUp(RequestTarget target) {
        this.target = target;
        List<ContentCoding> order = loop.files.codingOrder(request.headerList("Accept-Encoding"));
        String key = target.path();
        long now = System.nanoTime();
        Resolved cached = loop.cache.get(key, now);
        if (cached != null) {
            Lookup hit = loop.files.withoutDisk(cached, order, !headOnly);
            if (hit != null) {
                startResponse(loop.files.respond(request, target, hit, loop.random, head));
                return;
            }
            // a file neither in memory nor mapped: it is looked up again (a stat with the open), so that the
            // file opened and the validators sent are sure to belong together
            loop.cache.hitNeededDisk();
        }
        boolean leader = loop.cache.claim(key);
        cacheKey = leader ? key : null;
        lookupStartedNanos = now;
        // the job may reuse the previous mappings: they must outlive it, whatever the cache does meanwhile
        previous = leader ? loop.cache.peek(key) : null;
        holdMappings(previous, true);
        loop.io.runOnDiskHelper(loop.files.diskHelpers(),
                loop.files.lookupJob(target, order, !headOnly, previous, leader), this);
    }

    private static void holdMappings(Resolved resolved, boolean take) {
        if (resolved instanceof Resolved.Files) {
            ((Resolved.Files) resolved).hold(take);
        }
    }

    @Override
    public void onDiskJobDone(Lookup lookup) {
        assert onDispatcher();
        if (cacheKey != null) {
            // kept even when this client has gone: the next one profits
            loop.cache.put(cacheKey, lookup.resolved(), lookupStartedNanos);
            loop.cache.release(cacheKey);
            cacheKey = null;
        }
        if (state == State.CLOSED) {
            loop.files.close(lookup.channel());
        } else {
            startResponse(loop.files.respond(request, target, lookup, loop.random, head));
        }
        // only now, with the cache and the response holding what they use, may the rest go
        holdMappings(previous, false);
        previous = null;
        if (lookup.resolved() instanceof Resolved.Files) {
            ((Resolved.Files) lookup.resolved()).dropUnheld();
        }
    }

    @Override
    public void onDiskJobFailed(Throwable failure) {
        assert onDispatcher();
        if (cacheKey != null) {
            loop.cache.forget(cacheKey);
            loop.cache.release(cacheKey);
            cacheKey = null;
        }
        holdMappings(previous, false);
        previous = null;
        if (state == State.CLOSED) {
            return;
        }
        log.warn("lookup of {} failed: {}", request.target(), failure.toString());
        respondWithError(500);
    }

    // ---- respond ----

    private void beginResponse(RequestHead head) {
        request = head;
        // a response to HEAD never has content, whatever it says: errors included (RFC 9110 §9.3.2)
        headOnly = head != null && head.method() == amped.protocol.Method.HEAD;
        responding = true;
        requestStartNanos = System.nanoTime();
        requestStartMillis = System.currentTimeMillis();
        responseBytes = 0;
        headLength = 0;
    }

    /** Sends a response made in memory (the status endpoints); it may come after a wait for other loops. */
    private void respondGenerated(StatusService.Generated generated) {
        assert onDispatcher();
        if (state != State.RESOLVING) {
            return;
        }
        head.start(generated.status());
        head.header("Content-Type", generated.contentType());
        head.header("Content-Length", generated.body().length);
        head.header("Cache-Control", "no-store");
        startResponse(ResponseBody.of(generated.body()));
    }

    private void respondWithError(int status) {
        keepAlive = false;
        startResponse(ResponseBody.of(ErrorResponses.write(status, head).content()));
    }

    /** Completes the head begun in {@link #head} with the connection's fields and starts sending. */
    private void startResponse(ResponseBody responseBody) {
        head.line(loop.date.line()).line(SERVER);
        if (!keepAlive) {
            head.line(CONNECTION_CLOSE);
        } else if (request.version() == HttpVersion.HTTP_1_0) {
            head.line(CONNECTION_KEEP_ALIVE);
        }
        head.end();
        headLength = head.length();
        if (headOnly) {
            loop.files.close(responseBody.file);
            responseBody = ResponseBody.EMPTY;
        }
        body = responseBody;
        if (body.mapped != null) {
            body.mapped.retain();
        }
        headCopied = 0;
        segment = 0;
        segmentCopied = 0;
        segmentSent = 0;
        // a body sent from a mapping needs buffer room only for the head and its memory segments
        long wanted = head.length() + (body.mapped != null ? body.memoryLength() : body.length);
        buffer = loop.pool.acquireOrWait((int) Math.min(wanted, Integer.MAX_VALUE), this);
        if (buffer == null) {
            state = State.AWAITING_BUFFER;
            loop.stats.bufferWaits++;
            return;
        }
        fill();
    }

    @Override
    public void bufferAvailable(ByteBuffer available) {
        assert onDispatcher();
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
            ResponseBody.Segment s = body.segments.get(segment);
            if (s instanceof ResponseBody.Memory) {
                ResponseBody.Memory m = (ResponseBody.Memory) s;
                int n = Math.min(buffer.remaining(), m.count() - segmentCopied);
                buffer.put(m.bytes(), m.offset() + segmentCopied, n);
                segmentCopied += n;
                if (segmentCopied == m.count()) {
                    segment++;
                    segmentCopied = 0;
                }
            } else if (body.mapped != null) {
                ResponseBody.FileRange range = (ResponseBody.FileRange) s;
                MappedByteBuffer next = body.mapped.slice(range.offset() + segmentSent,
                        (int) Math.min(range.length() - segmentSent, MAPPED_SLICE));
                if (!MappedFile.resident(next)) {
                    // not in memory: a disk helper pages it in, so the send cannot stall this thread
                    state = State.READING_DISK;
                    diskReadStartNanos = System.nanoTime();
                    MappedFile mapped = body.mapped;
                    long position = range.offset() + segmentSent;
                    loop.io.runOnDiskHelper(loop.files.diskHelpers(), () -> {
                        mapped.pageIn(position, next.capacity());
                        return next;
                    }, pageIn);
                    diskReading = true;
                    loop.stats.diskReadsStarted++;
                    return;
                }
                send(next);
                return;
            } else {
                ResponseBody.FileRange range = (ResponseBody.FileRange) s;
                if (reader == null) {
                    reader = new ChunkedFileReader(body.file, range.offset(), range.length());
                }
                state = State.READING_DISK;
                diskReadStartNanos = System.nanoTime();
                reader.readNext(buffer, this, loop.io.diskReadCompletion());
                // marked only once started: a read that failed to start holds nothing (its completion is an
                // event, never a nested call, so it cannot have arrived yet)
                diskReading = true;
                loop.stats.diskReadsStarted++;
                return;
            }
        }
        send(null);
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
                if (failure instanceof MappedFile.FileShrankException) {
                    fileShrank();
                } else {
                    diskReadFailed(failure);
                }
            }
        }

        @Override
        public void handlerFailed(Throwable failure) {
            Connection.this.handlerFailed(failure);
        }
    }

    /** The Content-Length sent can no longer be honoured: a short body and a close tell the client. */
    private void fileShrank() {
        log.warn("{} got shorter while being sent to {}; closing the connection", request.target(), peer);
        loop.stats.truncated++;
        if (target != null) {
            loop.cache.forget(target.path());
        }
        close();
    }

    @Override
    public void onDiskRead(int bytes) {
        if (!diskReadEnded()) {
            return;
        }
        buffer.limit(buffer.capacity());
        switch (reader.completed(bytes)) {
            case TRUNCATED:
                fileShrank();
                return;
            case DONE:
                reader = null;
                segment++;
                break;
            case MORE:
            default:
                break;
        }
        fill();
    }

    @Override
    public void onDiskReadFailed(Throwable failure) {
        if (diskReadEnded()) {
            diskReadFailed(failure);
        }
    }

    /**
     * Accounts for the end of a disk read or page-in; false when the connection closed meanwhile (what the
     * read used is released now, as nothing uses it any more).
     */
    private boolean diskReadEnded() {
        assert onDispatcher();
        diskReading = false;
        loop.stats.diskReadsDone++;
        loop.stats.diskReadTime.record(System.nanoTime() - diskReadStartNanos);
        if (state == State.CLOSED) {
            releaseResponse();
            return false;
        }
        return true;
    }

    private void diskReadFailed(Throwable failure) {
        log.warn("reading {} for {} failed: {}", request.target(), peer, failure.toString());
        loop.stats.readErrors++;
        close();
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
        state = State.SENDING;
        lastProgressNanos = System.nanoTime();
        if (deadline != Deadline.SEND) {
            arm(Deadline.SEND, loop.config.sendTimeout.toNanos());
        }
        startWrite();
    }

    /** Writes what is left of {@link #out}; like a disk read, marked in flight only once started. */
    private void startWrite() {
        if (outCount == 1) {
            loop.io.send(channel, out[0], this);
        } else {
            loop.io.send(channel, out, 0, outCount, this);
        }
        writing = true;
    }

    private boolean outHasRemaining() {
        for (int i = 0; i < outCount; i++) {
            if (out[i].hasRemaining()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void onSent(long bytes) {
        assert onDispatcher();
        writing = false;
        if (state == State.CLOSED) {
            releaseResponse();
            return;
        }
        loop.stats.sent(bytes, loop.date.epochSecond());
        responseBytes += bytes;
        if (bytes > 0) {
            lastProgressNanos = System.nanoTime();
        }
        if (outHasRemaining()) {
            // a partial write: the rest goes first
            startWrite();
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
        finishResponse();
    }

    @Override
    public void onSendFailed(Throwable failure) {
        assert onDispatcher();
        writing = false;
        if (state != State.CLOSED) {
            if (slice != null) {
                // whatever the reason, the next request looks the file up afresh rather than trust the mapping
                loop.cache.forget(target.path());
            }
            if (slice != null && "Bad address".equals(failure.getMessage())) {
                // EFAULT (C locale message): part of the mapped slice is gone, the file was truncated under the send
                fileShrank();
            } else {
                // the client reset or vanished mid-response
                loop.stats.aborted++;
                log.debug("sending to {} failed: {}", peer, failure.toString());
                close();
            }
        }
        releaseResponse();
    }

    private void finishResponse() {
        disarm();
        releaseResponse();
        responseEnded(false);
        request = null;
        if (!keepAlive) {
            closeGracefully();
            return;
        }
        state = State.READING;
        processInput();
    }

    /** Returns the buffer and closes the file of the current response; only when nothing uses them. */
    private void releaseResponse() {
        if (writing || diskReading) {
            return;
        }
        if (buffer != null) {
            ByteBuffer b = buffer;
            buffer = null;
            loop.pool.release(b);
        }
        if (body != null) {
            loop.files.close(body.file);
            if (body.mapped != null) {
                body.mapped.release();
            }
            body = null;
        }
        reader = null;
        slice = null;
        out[0] = null;
        out[1] = null;
    }

    /** Counts the response and writes its access-log line: when it ends, whole or aborted. */
    private void responseEnded(boolean aborted) {
        responding = false;
        // no status line went out yet: the client gave up on us first (nginx's 499)
        int status = headLength > 0 ? head.status() : 499;
        loop.stats.responseEnded(request == null ? null : request.method(), status);
        if (loop.accessLog == null) {
            return;
        }
        long bodyBytes = Math.max(0, responseBytes - headLength);
        long millis = (System.nanoTime() - requestStartNanos) / 1_000_000;
        RequestHead r = request;
        loop.accessLog.log(new AccessRecord(peer, requestStartMillis,
                r == null ? null : r.methodName(), r == null ? null : r.target(),
                r == null ? null : r.version().text(), status, bodyBytes,
                r == null ? null : r.header("Referer"), r == null ? null : r.header("User-Agent"), millis, aborted));
    }

    /** What this connection is sending right now, for the status page; null when it is not sending. */
    ServerStats.Transfer transfer() {
        if (!responding || headLength == 0 || request == null) {
            return null;
        }
        return new ServerStats.Transfer(request.target(), peer, Math.max(0, responseBytes - headLength),
                body == null ? 0 : body.length, (System.nanoTime() - requestStartNanos) / 1_000_000);
    }

    // ---- closing ----

    /**
     * Closes after the last response: shuts the output so the client sees the end of the stream, then
     * reads and drops what it still sends for a moment, so that unread input does not make the kernel
     * reset the connection and destroy the response before the client has read it.
     */
    private void closeGracefully() {
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            close();
            return;
        }
        state = State.LINGERING;
        arm(Deadline.LINGER, LINGER_NANOS);
        in.clear();
        loop.io.receive(channel, in, this);
    }

    /** Closes now. Operations in flight fail and, when they report, release what they used. */
    void close() {
        assert onDispatcher();
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        disarm();
        loop.dispatcher.cancel(timer);
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more can be done for this connection
        }
        releaseResponse();
        if (responding) {
            responseEnded(true);
        }
        loop.connectionClosed(this);
    }

    /**
     * Server shutdown: an idle connection closes now; one in the middle of a request finishes its
     * response and then closes.
     */
    void drain() {
        assert onDispatcher();
        draining = true;
        keepAlive = false;
        if (state == State.READING && parser.isIdle()) {
            close();
        }
    }

    @Override
    public void handlerFailed(Throwable failure) {
        close();
    }

    // ---- deadlines ----

    /**
     * Sets the one deadline that applies now. The timer is moved only when the new deadline is earlier
     * than where it stands; a later one is noticed when the timer fires and moves on. Busy connections,
     * whose deadlines keep moving later, so cost the timer heap nothing per request.
     */
    private void arm(Deadline kind, long delayNanos) {
        deadline = kind;
        deadlineAt = System.nanoTime() + delayNanos;
        if (!timer.isScheduled() || timer.deadlineNanos() - deadlineAt > 0) {
            loop.dispatcher.schedule(timer, delayNanos);
        }
    }

    private void disarm() {
        deadline = Deadline.NONE;
    }

    private void onDeadline() {
        long now = System.nanoTime();
        switch (deadline) {
            case SEND: {
                // only a send that makes no progress times out; a slow but moving client may take hours
                long stalledFor = now - lastProgressNanos;
                long limit = loop.config.sendTimeout.toNanos();
                if (stalledFor < limit) {
                    loop.dispatcher.schedule(timer, limit - stalledFor);
                    return;
                }
                log.debug("send to {} stalled; closing", peer);
                loop.stats.timeouts++;
                close();
                return;
            }
            case HEADER:
            case IDLE:
            case LINGER:
                if (deadlineAt - now > 0) {
                    loop.dispatcher.schedule(timer, deadlineAt - now);
                    return;
                }
                if (deadline != Deadline.LINGER) {
                    loop.stats.timeouts++;
                }
                close();
                return;
            case NONE:
            default:
                // nothing is due: the timer rests until a deadline is set again
        }
    }

    private boolean onDispatcher() {
        return loop.dispatcher.inDispatcherThread();
    }

    private static InetSocketAddress remoteAddress(AsynchronousSocketChannel channel) {
        try {
            return (InetSocketAddress) channel.getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }
}
