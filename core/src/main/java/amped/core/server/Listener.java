package amped.core.server;

import amped.core.AcceptHandler;
import amped.core.Timer;
import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts connections for one loop. The accept handler re-arms the next accept itself. At the connection
 * limit it stops accepting (the kernel's backlog holds newcomers) until a connection closes; a failed
 * accept (such as running out of file descriptors) is logged once and retried after a growing back-off,
 * never in a busy loop.
 */
final class Listener implements AcceptHandler {

    private static final Logger log = LoggerFactory.getLogger(Listener.class);
    private static final long FIRST_BACKOFF = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long MAX_BACKOFF = TimeUnit.SECONDS.toNanos(1);
    /** A failure that comes back within this long after a recovery is not logged again. */
    private static final long RELOG_AFTER = TimeUnit.SECONDS.toNanos(60);

    private final ServingLoop loop;
    private final AsynchronousServerSocketChannel server;
    /** The loops this listener accepts for: its own, or all of them when it is the only one (no SO_REUSEPORT). */
    private final List<ServingLoop> fed;
    /** Whether this is the status endpoints' own listener (its connections are answered by them alone). */
    private final boolean forStatus;
    /** Connections open in the loops fed, counted here; only this listener's dispatcher touches it. */
    private int open;
    private final int limit;
    private int next;
    private final Timer retry = new Timer(this::arm);
    private boolean accepting;
    private boolean paused;
    private boolean closed;
    private boolean failing;
    private long lastFailureLogged = System.nanoTime() - RELOG_AFTER;
    private long backoff = FIRST_BACKOFF;

    /** @param limit the most connections open at once in the loops fed */
    Listener(ServingLoop loop, AsynchronousServerSocketChannel server, List<ServingLoop> fed, int limit, boolean forStatus) {
        this.loop = loop;
        this.server = server;
        this.fed = fed;
        this.limit = limit;
        this.forStatus = forStatus;
    }

    void start() {
        arm();
    }

    private void arm() {
        if (closed || accepting) {
            return;
        }
        if (open >= limit) {
            if (!paused) {
                paused = true;
                log.warn("{} connections open, the limit: not accepting until one closes", open);
            }
            return;
        }
        accepting = true;
        loop.io.accept(server, this);
    }

    @Override
    public void onAccepted(AsynchronousSocketChannel channel) {
        accepting = false;
        if (closed) {
            closeQuietly(channel);
            return;
        }
        if (failing) {
            failing = false;
            backoff = FIRST_BACKOFF;
            if (System.nanoTime() - lastFailureLogged < RELOG_AFTER) {
                log.info("accepting connections again");
            }
        }
        open++;
        ServingLoop target = fed.get(next);
        next = (next + 1) % fed.size();
        if (target == loop) {
            loop.connectionAccepted(channel, forStatus);
        } else {
            target.adopt(channel);
        }
        arm();
    }

    @Override
    public void onAcceptFailed(Throwable failure) {
        accepting = false;
        if (closed || failure instanceof AsynchronousCloseException) {
            return;
        }
        loop.stats.acceptFailures++;
        if (!failing) {
            failing = true;
            // an episode flapping between failure and success is told once, not at every turn
            long now = System.nanoTime();
            if (now - lastFailureLogged >= RELOG_AFTER) {
                lastFailureLogged = now;
                log.warn("accept failed ({}); retrying with back-off until it works again", failure.toString());
            }
        }
        loop.dispatcher.schedule(retry, backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF);
    }

    /** A connection of a loop fed by this listener closed: resume accepting if the limit had paused it. */
    void connectionClosed() {
        open--;
        if (paused) {
            paused = false;
            log.info("below the connection limit again: accepting");
            arm();
        }
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        loop.dispatcher.cancel(retry);
        try {
            server.close();
        } catch (IOException e) {
            log.debug("closing the listening socket: {}", e.toString());
        }
    }

    @Override
    public void handlerFailed(Throwable failure) {
        accepting = false;
        loop.dispatcher.schedule(retry, backoff);
    }

    private static void closeQuietly(AsynchronousSocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // refusing it anyway
        }
    }
}
