package amped.core.server;

import amped.core.ReceiveHandler;
import amped.core.Timer;
import amped.protocol.RequestParser;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection (smart-socket's session role): the socket, the bytes received and their parser,
 * the deadlines, lingering and closing. Each complete request head becomes an {@link Exchange}; when it
 * has sent its response the next request is parsed (pipelined ones are already buffered) or the
 * connection closes. Driven by the events of its dispatcher and touched by no other thread.
 * <pre>
 *   accept → receive → parse → Exchange (route → find → plan → send) → next request … → linger → close
 * </pre>
 */
final class Connection implements ReceiveHandler, Exchange.Host {

    private static final Logger log = LoggerFactory.getLogger(Connection.class);
    /**
     * Bytes read per socket read while a request head is read. The parser keeps partial lines itself, so
     * any size works; this one takes a large head in few reads.
     */
    static final int READ_BUFFER = 4096;
    /**
     * The read a new or idle connection waits with first (the JDK holds its buffer until data comes). It
     * takes the heads of command-line clients (curl, wget, aria2, HttpClient, wrk: 40 to 200 bytes) in
     * one read. A read that fills it doubles the connection's idle read (browsers' heads, 400 to 900
     * bytes, then fit in one read) up to {@link #READ_BUFFER}, and the rest of that head is read with
     * {@link #READ_BUFFER}.
     */
    static final int IDLE_READ_BUFFER = 512;
    private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long LINGER_MAX_BYTES = 256 * 1024;
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    private enum State {
        /** Waiting for the first byte of the next request, under the idle timeout. */
        AWAITING_REQUEST,
        /** Reading a request head, under the header timeout (from its first byte; from the accept for the first). */
        READING_HEAD,
        /** An exchange is answering a request; under the send-stall timeout while it sends. */
        EXCHANGING,
        /** The last response is out and the output shut: reading and dropping what the client still sends. */
        LINGERING,
        CLOSED
    }

    private final ServingLoop loop;
    private final Transport transport;
    private final String peer;
    private final boolean fromLoopback;
    /** Whether it came through the status endpoints' own listener (then it is answered by them alone). */
    private final boolean onStatusListener;
    private ByteBuffer in = ByteBuffer.allocate(IDLE_READ_BUFFER);
    /** The size of the read this connection waits with when idle, learned from its client's heads. */
    private int idleRead = IDLE_READ_BUFFER;
    /** The parser and response head, borrowed from the loop while a request is read or answered; else null. */
    private RequestWorkspace work;
    /** Whether the last read filled {@link #in}: more may be waiting, so the next read takes a larger one. */
    private boolean lastReadFilled;
    private final Timer timer = new Timer(this::onDeadline);
    private State state = State.READING_HEAD;
    /** When the wait of the current state (idle, head, linger) runs out. */
    private long deadlineAt;
    private Exchange exchange;
    private long lingered;
    /** A read is pending while an exchange runs, to see the client leave before its answer is ready. */
    private boolean watching;

    Connection(ServingLoop loop, Transport transport, boolean onStatusListener) {
        this.loop = loop;
        this.transport = transport;
        this.onStatusListener = onStatusListener;
        InetSocketAddress remote = transport.remote();
        this.peer = remote == null ? "-" : remote.getAddress().getHostAddress();
        this.fromLoopback = remote != null && remote.getAddress().isLoopbackAddress();
        in.limit(0);
    }

    /** Begins reading the first request; a client that sends no complete head in time is closed. */
    void start() {
        assert onDispatcher();
        await(State.READING_HEAD, loop.config.headerTimeout.toNanos());
        receive();
    }

    // ---- receive and parse ----

    private void receive() {
        if (lastReadFilled && in.capacity() < READ_BUFFER) {
            // a head that did not fit the idle read: the rest comes in larger pieces
            in = ByteBuffer.allocate(READ_BUFFER).put(in);
        } else {
            in.compact();
        }
        transport.receive(in, this);
    }

    @Override
    public void onReceived(int bytes) {
        assert onDispatcher();
        watching = false;
        switch (state) {
            case CLOSED -> {
                // a read that was in flight when the connection closed
            }
            case LINGERING -> {
                lingered += Math.max(bytes, 0);
                if (bytes < 0 || lingered > LINGER_MAX_BYTES) {
                    close();
                } else {
                    in.clear();
                    transport.receive(in, this);
                }
            }
            case EXCHANGING -> {
                in.flip();
                if (bytes < 0 && exchange.resolving()) {
                    // gone before its answer was ready (nginx's 499): what was being looked up or built for it
                    // is let go of
                    close();
                }
                // else a pipelined request, parsed when this exchange is over; or the end of input while the
                // response is sent, which the read after it sees again
            }
            case AWAITING_REQUEST, READING_HEAD -> {
                lastReadFilled = !in.hasRemaining();
                if (lastReadFilled && in.capacity() < READ_BUFFER) {
                    idleRead = Math.min(READ_BUFFER, Math.max(idleRead, in.capacity() * 2));
                }
                in.flip();
                if (bytes < 0) {
                    // the client closed its side; whatever it had half-sent can never be answered
                    close();
                    return;
                }
                processInput();
            }
        }
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
        if (work == null) {
            work = loop.workspaces.borrow();
        }
        RequestParser parser = work.parser();
        switch (parser.parse(in)) {
            case NEED_MORE -> {
                if (parser.isIdle()) {
                    if (loop.draining()) {
                        close();
                        return;
                    }
                    awaitRequest();
                } else if (state != State.READING_HEAD) {
                    // the header timeout runs from the first byte of each request
                    await(State.READING_HEAD, loop.config.headerTimeout.toNanos());
                }
                receive();
            }
            case HEAD_COMPLETE -> {
                state = State.EXCHANGING;
                exchange = Exchange.of(loop, this, parser.head(), work.response());
                exchange.start();
            }
            case ERROR -> {
                if (parser.inBody()) {
                    // the response to this request is already out: nothing sensible is left to say
                    close();
                    return;
                }
                state = State.EXCHANGING;
                exchange = Exchange.malformed(loop, this, parser.head(), parser.errorStatus(), work.response());
                exchange.start();
            }
        }
    }

    // ---- what an exchange needs of its connection ----

    @Override
    public Transport transport() {
        return transport;
    }

    @Override
    public String peer() {
        return peer;
    }

    @Override
    public boolean fromLoopback() {
        return fromLoopback;
    }

    @Override
    public boolean onStatusListener() {
        return onStatusListener;
    }

    @Override
    public void sending() {
        schedule(System.nanoTime() + loop.config.sendTimeout.toNanos());
    }

    @Override
    public boolean watching() {
        return watching;
    }

    @Override
    public void watchForLeaving() {
        if (state == State.EXCHANGING && !watching && !in.hasRemaining()) {
            watching = true;
            receive();
        }
    }

    @Override
    public void exchangeEnded(boolean keepAlive) {
        assert onDispatcher();
        exchange = null;
        if (watching) {
            // the watching read is still pending: what it brings is the next request (or the linger's)
            if (keepAlive) {
                // the parser moves past the request just answered (it had no body), so the connection is
                // idle: a shutdown closes it at once
                work.parser().parse(NOTHING);
                awaitRequest();
            } else {
                closeGracefully();
            }
            return;
        }
        if (keepAlive) {
            processInput();
        } else {
            closeGracefully();
        }
    }

    /** What this connection is sending right now, for the status page; null when it is not sending. */
    ServerStats.Transfer transfer() {
        return exchange == null ? null : exchange.transfer();
    }

    // ---- closing ----

    /**
     * Closes after the last response: shuts the output so the client sees the end of the stream, then
     * reads and drops what it still sends for a moment, so that unread input does not make the kernel
     * reset the connection and destroy the response before the client has read it.
     */
    private void closeGracefully() {
        try {
            transport.shutdownOutput();
        } catch (IOException e) {
            close();
            return;
        }
        await(State.LINGERING, LINGER_NANOS);
        if (!watching) {
            in.clear();
            transport.receive(in, this);
        }
    }

    /** Closes now. Operations in flight fail and, when they report, release what they used. */
    @Override
    public void close() {
        assert onDispatcher();
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        loop.dispatcher.cancel(timer);
        transport.close();
        if (exchange != null) {
            exchange.abandon();
            exchange = null;
        }
        loop.connectionClosed(this);
    }

    /**
     * Server shutdown (the loop is draining): an idle connection closes now; one in the middle of a request
     * finishes its response and then closes.
     */
    void drain() {
        assert onDispatcher();
        if ((state == State.AWAITING_REQUEST || state == State.READING_HEAD)
                && (work == null || work.parser().isIdle())) {
            close();
        }
    }

    @Override
    public void handlerFailed(Throwable failure) {
        close();
    }

    // ---- deadlines ----

    /** Idle between requests: the workspace goes back to the loop until the next request's first byte. */
    private void awaitRequest() {
        if (work != null && work.parser().isIdle()) {
            loop.workspaces.giveBack(work);
            work = null;
        }
        if (!watching && !in.hasRemaining() && in.capacity() != idleRead) {
            in = ByteBuffer.allocate(idleRead).limit(0);
        }
        await(State.AWAITING_REQUEST, loop.config.idleTimeout.toNanos());
    }

    /** Enters a waiting state whose deadline is {@code delayNanos} from now. */
    private void await(State waiting, long delayNanos) {
        state = waiting;
        deadlineAt = System.nanoTime() + delayNanos;
        schedule(deadlineAt);
    }

    /**
     * The timer is moved only when a deadline is earlier than where it stands; a later one is noticed when
     * the timer fires and moves on. Busy connections, whose deadlines keep moving later, so cost the timer
     * heap nothing per request.
     */
    private void schedule(long atNanos) {
        if (!timer.isScheduled() || timer.deadlineNanos() - atNanos > 0) {
            loop.dispatcher.schedule(timer, atNanos - System.nanoTime());
        }
    }

    private void onDeadline() {
        long now = System.nanoTime();
        switch (state) {
            case AWAITING_REQUEST, READING_HEAD, LINGERING -> {
                if (deadlineAt - now > 0) {
                    loop.dispatcher.schedule(timer, deadlineAt - now);
                    return;
                }
                if (state != State.LINGERING) {
                    loop.stats.timeouts++;
                }
                close();
            }
            case EXCHANGING -> {
                // only a send that makes no progress times out; a slow but moving client may take hours
                long stalledFor = exchange.stalledNanos(now);
                long limit = loop.config.sendTimeout.toNanos();
                if (stalledFor < 0) {
                    return; // not sending (a lookup in flight): the timer rests until a send starts
                }
                if (stalledFor < limit) {
                    loop.dispatcher.schedule(timer, limit - stalledFor);
                    return;
                }
                log.debug("send to {} stalled; closing", peer);
                loop.stats.timeouts++;
                close();
            }
            case CLOSED -> {
                // a timer that fired as the connection closed
            }
        }
    }

    private boolean onDispatcher() {
        return loop.dispatcher.inDispatcherThread();
    }
}
