package amped.core.server;

import amped.core.Dispatcher;
import amped.core.IoCompletions;
import amped.core.log.AccessLogSink;
import amped.core.log.AccessLogWriter;
import amped.fileio.sys.UnsentLimit;
import amped.core.tls.TlsContext;
import amped.core.tls.TlsLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * One dispatcher with everything it owns for life: its channel group (whose one thread it is), its
 * listening socket, its buffer pool and its connections. Loops share nothing mutable, so none of this
 * needs a lock; the kernel spreads connections over the loops' listening sockets (SO_REUSEPORT).
 *
 * <p>Where SO_REUSEPORT is not available, loop 0 alone listens and hands connections out round-robin
 * ({@link #adopt}); the other loops then use loop 0's channel group, so the JDK's completion invocations
 * run on loop 0's dispatcher and reach a connection's own dispatcher as an event: a second hop, in a
 * fallback only.
 */
final class ServingLoop {

    final ServerConfig config;
    final Dispatcher dispatcher;
    final IoCompletions io;
    final AsynchronousChannelGroup group;
    final BufferPool pool;
    final DiskContent disk;
    final ExecutorService diskHelpers;
    final FileService files;
    final DateHeader date = new DateHeader();
    /** The Strict-Transport-Security field line for responses over TLS, or null. */
    final byte[] hsts;
    final SplittableRandom random = new SplittableRandom();
    /** Parsers and response heads for the connections reading or answering a request. Dispatcher thread. */
    final RequestWorkspace.Pool workspaces;
    final LoopStats stats = new LoopStats();
    /** What request paths name: this loop's cache in front of the shared content chain. */
    final CachingContent content;
    /** This loop's access log, or null when off. */
    final AccessLogWriter accessLog;
    /** The status endpoints, or null when off. */
    final StatusService status;
    /** Credentials, added fields, what a 404 becomes: shared by all loops. */
    final ServingRules rules;
    /** TLS on the main listener's connections, or null for plain HTTP. */
    private final TlsLoop tls;
    private final LinkedHashSet<Connection> connections = new LinkedHashSet<>();
    private final int maxConnections;
    private Listener listener;
    /** The status endpoints' own listener (loop 0's, with --status-listen), or null. */
    private Listener statusListener;
    /** Connections the status listener takes at once: a scraper, a probe and a few browsers. */
    private static final int STATUS_CONNECTIONS = 64;
    /** The loop whose listener feeds this one: itself, or loop 0 when the listener is shared. */
    private ServingLoop acceptor = this;
    private CompletableFuture<Void> drained;
    /** Set by a graceful shutdown: no new requests on kept-alive connections. Dispatcher thread. */
    private boolean draining;
    /** Bytes queued unsent in a socket beyond which the kernel takes no more (TCP_NOTSENT_LOWAT). */
    static final int UNSENT_LIMIT = 128 * 1024;
    private static final long SWEEP_EVERY_NANOS = 10_000_000_000L;
    private final amped.core.Timer cacheSweep = new amped.core.Timer(this::sweepCache);

    /** @param sharedGroup the channel group of the loop that accepts for this one, or null to have its own */
    ServingLoop(int index, ServerConfig config, DiskContent disk, ContentSource chain, FileService files,
                long bufferBudget, int maxConnections,
                AccessLogSink logSink, StatusService status, ServingRules rules, AsynchronousChannelGroup sharedGroup,
                TlsContext tlsContext) throws IOException {
        this.config = config;
        this.disk = disk;
        this.diskHelpers = disk.diskHelpers();
        this.files = files;
        this.maxConnections = maxConnections;
        this.status = status;
        this.rules = rules;
        this.dispatcher = new Dispatcher("amped-dispatcher-" + index);
        this.io = new IoCompletions(dispatcher);
        this.tls = tlsContext == null ? null : new TlsLoop(tlsContext, dispatcher, io);
        this.hsts = config.hsts == null ? null
                : amped.protocol.ResponseHead.fieldLine("Strict-Transport-Security", "max-age=" + config.hsts.toSeconds());
        this.content = new CachingContent(new FileCache(config.cacheSize / config.dispatchers), chain, disk, io,
                config.precompressed || config.gzip);
        this.accessLog = logSink == null ? null : new AccessLogWriter(config.logFormat, logSink, io);
        this.pool = new BufferPool(config.chunkSize, bufferBudget, dispatcher::execute);
        this.workspaces = new RequestWorkspace.Pool(config.parseLimits);
        this.group = sharedGroup == null ? dispatcher.group() : sharedGroup;
    }

    /** Binds this loop's listening socket; with several loops each binds the same address with SO_REUSEPORT. */
    InetSocketAddress bind(InetSocketAddress address, boolean reusePort, List<ServingLoop> fed) throws IOException {
        AsynchronousServerSocketChannel server = listen(address, reusePort);
        listener = new Listener(this, server, fed, maxConnections * fed.size(), false);
        for (ServingLoop loop : fed) {
            loop.acceptor = this;
        }
        return (InetSocketAddress) server.getLocalAddress();
    }

    /** Binds the status endpoints' own listening socket, served by this loop. */
    InetSocketAddress bindStatus(InetSocketAddress address) throws IOException {
        AsynchronousServerSocketChannel server = listen(address, false);
        statusListener = new Listener(this, server, List.of(this), STATUS_CONNECTIONS, true);
        return (InetSocketAddress) server.getLocalAddress();
    }

    private AsynchronousServerSocketChannel listen(InetSocketAddress address, boolean reusePort) throws IOException {
        AsynchronousServerSocketChannel server = AsynchronousServerSocketChannel.open(group);
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (reusePort) {
                server.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            server.bind(address, 1024);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** Whether this platform lets several sockets listen on one port. */
    static boolean reusePortSupported() {
        try (AsynchronousServerSocketChannel probe = AsynchronousServerSocketChannel.open()) {
            return probe.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
        } catch (IOException e) {
            return false;
        }
    }

    void start() {
        if (listener != null) {
            dispatcher.execute(listener::start);
        }
        if (statusListener != null) {
            dispatcher.execute(statusListener::start);
        }
        dispatcher.execute(() -> dispatcher.schedule(cacheSweep, SWEEP_EVERY_NANOS));
    }

    private void sweepCache() {
        long now = System.nanoTime();
        content.sweep(now);
        // shared by the loops: each one's sweep lets go of the listings nobody used lately
        disk.listings().sweep(now);
        dispatcher.schedule(cacheSweep, SWEEP_EVERY_NANOS);
    }

    /** Whether a graceful shutdown has begun. Dispatcher thread. */
    boolean draining() {
        return draining;
    }

    /** A connection accepted by another loop's listener, handed to this one for life. Any thread. */
    void adopt(AsynchronousSocketChannel channel) {
        dispatcher.execute(() -> connectionAccepted(channel, false));
    }

    /** A new connection from a listener (the status listener's when {@code forStatus}). Dispatcher thread. */
    void connectionAccepted(AsynchronousSocketChannel channel, boolean forStatus) {
        stats.accepted++;
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        } catch (IOException e) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // it was going away anyway
            }
            tellListenerOfClose(forStatus);
            return;
        }
        Transport socket = new SocketTransport(channel, io);
        // a client that stops reading then holds little kernel memory (sendfile would fill its whole buffer)
        UnsentLimit.set(socket.descriptor(), UNSENT_LIMIT);
        open(tls != null && !forStatus ? tls.wrap(socket) : socket, forStatus);
    }

    /** Starts a connection over {@code transport}, this loop's for life. Dispatcher thread. */
    Connection open(Transport transport) {
        return open(transport, false);
    }

    private Connection open(Transport transport, boolean forStatus) {
        Connection c = new Connection(this, transport, forStatus);
        connections.add(c);
        c.start();
        return c;
    }

    /** Dispatcher thread. */
    void connectionClosed(Connection c) {
        if (connections.remove(c)) {
            stats.closed++;
            tellListenerOfClose(c.onStatusListener());
            if (drained != null && connections.isEmpty()) {
                drained.complete(null);
            }
        }
    }

    /** The listener counts the connections it fed; it may be another loop's (then on that loop's thread). */
    private void tellListenerOfClose(boolean forStatus) {
        if (forStatus) {
            statusListener.connectionClosed();
        } else if (acceptor == this) {
            if (listener != null) { // a loop without a listener (a test's) counts nothing
                listener.connectionClosed();
            }
        } else {
            ServingLoop a = acceptor;
            a.dispatcher.execute(() -> a.listener.connectionClosed());
        }
    }


    /**
     * Stops accepting and closes idle connections; busy ones close after their response. The future
     * completes when the last connection is gone. Any thread.
     */
    CompletableFuture<Void> drain() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        dispatcher.execute(() -> {
            drained = done;
            draining = true;
            if (listener != null) {
                listener.close();
            }
            if (statusListener != null) {
                statusListener.close();
            }
            for (Connection c : new ArrayList<>(connections)) {
                c.drain();
            }
            if (connections.isEmpty()) {
                done.complete(null);
            }
        });
        return done;
    }

    /** Closes every connection now. Any thread; the future completes once done. */
    CompletableFuture<Void> closeAll() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        dispatcher.execute(() -> {
            if (listener != null) {
                listener.close();
            }
            if (statusListener != null) {
                statusListener.close();
            }
            for (Connection c : new ArrayList<>(connections)) {
                c.close();
            }
            done.complete(null);
        });
        return done;
    }

    /** Ends the loop: its dispatcher and with it the dispatcher's group. Call after {@link #closeAll()}. */
    void stop() {
        dispatcher.stop();
    }

    /** This loop's part of the counters, read on its dispatcher thread. Any thread. */
    CompletableFuture<ServerStats> snapshot(long epochSecond) {
        CompletableFuture<ServerStats> result = new CompletableFuture<>();
        dispatcher.execute(() -> {
            List<ServerStats.Transfer> transfers = new ArrayList<>();
            for (Connection c : connections) {
                ServerStats.Transfer t = c.transfer();
                if (t != null) {
                    transfers.add(t);
                }
            }
            ServerStats.Builder b = new ServerStats.Builder();
            b.openConnections = connections.size();
            b.accepted = stats.accepted;
            b.acceptedPerDispatcher = new long[] {stats.accepted};
            b.acceptFailures = stats.acceptFailures;
            b.requests = stats.requests;
            b.responsesByClass = stats.responsesByClass.clone();
            b.requestsByMethod = stats.requestsByMethod.clone();
            b.bytesSent = stats.bytesSent;
            b.malformed = stats.malformed;
            b.aborted = stats.aborted;
            b.truncated = stats.truncated;
            b.readErrors = stats.readErrors;
            b.timeouts = stats.timeouts;
            b.bufferWaits = stats.bufferWaits;
            b.diskReadsInFlight = stats.diskReadsStarted - stats.diskReadsDone;
            b.diskReadTime = stats.diskReadTime.copy();
            b.bytesPerSecond = stats.history(epochSecond);
            b.buffersInUse = pool.inUseCount();
            b.bufferBytesInUse = pool.inUseBytes();
            b.bufferBytesAllocated = pool.allocatedBytes();
            b.bufferBudget = pool.budget();
            b.bufferWaiters = pool.waiting();
            b.eventsDispatched = dispatcher.eventsDispatched();
            b.eventsByKind = dispatcher.eventsByKind();
            b.handlerTime = dispatcher.handlerTime();
            b.queueDepth = dispatcher.queueDepth();
            b.handlerFailures = dispatcher.handlerFailures();
            if (accessLog != null) {
                b.logLines = accessLog.lines();
                b.logDropped = accessLog.dropped();
                b.logFailedWrites = accessLog.failedWrites();
            }
            FileCache cache = content.cache();
            b.cacheHits = cache.hits();
            b.cacheMisses = cache.misses();
            b.cacheBytes = cache.bytes();
            b.cacheEntries = cache.size();
            b.transfers = transfers;
            result.complete(b.build());
        });
        return result;
    }

    /** Completes when everything this loop logged has been written. Any thread. */
    CompletableFuture<Void> flushAccessLog() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (accessLog == null) {
            done.complete(null);
            return done;
        }
        Runnable[] check = new Runnable[1];
        amped.core.Timer retry = new amped.core.Timer(() -> check[0].run());
        check[0] = () -> {
            if (accessLog.idle()) {
                done.complete(null);
            } else {
                dispatcher.schedule(retry, java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(10));
            }
        };
        dispatcher.execute(check[0]);
        return done;
    }
}
