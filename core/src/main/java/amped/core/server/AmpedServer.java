package amped.core.server;

import amped.core.log.AccessLogSink;
import amped.core.tls.HttpsRedirect;
import amped.core.tls.TlsContext;
import amped.fileio.DiskHelpers;
import amped.fileio.ServedTree;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The amped server: serving loops (one dispatcher each) over one shared pool of disk helpers.
 * {@link #start(ServerConfig)} binds and returns; {@link #shutdown(Duration)} stops gracefully.
 *
 * <p>To run one inside a program or a test:
 * <pre>{@code
 * try (AmpedServer server = AmpedServer.builder().root(dir).port(0).start()) {
 *     URI uri = server.uri(); // http://127.0.0.1:<the port picked>/
 *     ...
 * } // close(): a graceful shutdown, bounded by shutdownTimeout (10 s unless set)
 * }</pre>
 */
public final class AmpedServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AmpedServer.class);
    /** How long the disk helpers may take to run a trivial job before health says 503. */
    private static final Duration DISK_PROBE_BOUND = Duration.ofSeconds(2);

    private final ServerConfig config;
    private final ServedTree tree;
    private final ExecutorService diskHelpers;
    private final DiskContent disk;
    private final ContentSource chain;
    private final FileService files;
    private final AccessLogSink accessLog;
    private final StatusService status;
    private final ServingRules rules;
    private final DiskProbe diskProbe;
    private final GzipCounters gzip = new GzipCounters();
    /** The certificate and the TLS helpers, or null for plain HTTP. */
    private final TlsContext tls;
    private final List<ServingLoop> loops = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private InetSocketAddress address;
    private InetSocketAddress statusAddress;
    /** The plain port redirecting to HTTPS, or null. */
    private HttpsRedirect redirect;
    private volatile boolean stopping;

    private AmpedServer(ServerConfig config) throws IOException {
        this.config = config;
        this.tree = new ServedTree(config.root, new ServedTree.Options(config.showHidden, config.followSymlinks));
        this.tls = config.tls == null ? null : TlsContext.load(config.tls);
        this.diskHelpers = DiskHelpers.create(config.diskThreads);
        this.disk = new DiskContent(tree, diskHelpers, config);
        this.diskProbe = new DiskProbe(diskHelpers, DISK_PROBE_BOUND);
        this.chain = ContentSource.below(disk, config, gzip);
        this.files = new FileService(disk, config.cacheControl);
        this.status = config.statusPath == null && config.statusListen == null ? null
                : new StatusService(config.statusPath == null ? "" : config.statusPath, config.statusPublic,
                        config.statusListen != null, this);
        this.rules = new ServingRules(config);
        try {
            this.accessLog = config.accessLog == null ? null
                    : config.accessLog.equals("-") ? AccessLogSink.standardOutput()
                    : AccessLogSink.file(java.nio.file.Path.of(config.accessLog));
        } catch (IOException e) {
            diskHelpers.shutdownNow();
            rules.close();
            if (tls != null) {
                tls.close();
            }
            throw new IOException("cannot open the access log " + config.accessLog + ": " + e.getMessage(), e);
        }
    }

    /**
     * A builder of the configuration that ends in {@link ServerConfig.Builder#start()}. It has every option
     * of the CLI with the CLI's defaults (127.0.0.1, port 8080); {@link ServerConfig.Builder#root} is required.
     */
    public static ServerConfig.Builder builder() {
        return ServerConfig.builder();
    }

    /** Binds every loop's listening socket and starts serving. */
    public static AmpedServer start(ServerConfig config) throws IOException {
        AmpedServer server = new AmpedServer(config);
        try {
            server.bindAndStart();
        } catch (IOException | RuntimeException e) {
            server.abort();
            throw e;
        }
        return server;
    }

    private void bindAndStart() throws IOException {
        int n = config.dispatchers;
        long budgetPerLoop = config.bufferMemory / n;
        int connectionsPerLoop = (config.maxConnections + n - 1) / n;
        // SO_REUSEPORT only where amped can see who else listens on the port (Linux): it must join no one else
        boolean ownListeners = n == 1 || config.reusePort && ServingLoop.reusePortSupported() && PortOwners.available();
        if (!ownListeners) {
            log.info("one listener hands connections to the {} dispatchers in turn (SO_REUSEPORT not available,"
                    + " or this system cannot show who else listens on a port)", n);
        }
        for (int i = 0; i < n; i++) {
            loops.add(new ServingLoop(i, config, disk, chain, files, budgetPerLoop, connectionsPerLoop, accessLog, status,
                    rules, ownListeners || i == 0 ? null : loops.get(0).group, tls));
        }
        if (ownListeners) {
            InetSocketAddress bindTo = config.bind;
            for (ServingLoop loop : loops) {
                InetSocketAddress bound = loop.bind(bindTo, n > 1, List.of(loop));
                if (address == null) {
                    // with port 0 the first loop picks the port; the others join it
                    address = bound;
                    bindTo = bound;
                }
            }
            if (n > 1 && PortOwners.othersListenOn(address)) {
                // another process let us join its port (it set SO_REUSEPORT too): the port is theirs
                throw new java.net.BindException("Address already in use");
            }
        } else {
            address = loops.get(0).bind(config.bind, false, List.copyOf(loops));
        }
        if (config.statusListen != null) {
            try {
                statusAddress = loops.get(0).bindStatus(config.statusListen);
            } catch (java.net.BindException e) {
                throw new StatusListenException(e);
            }
        }
        if (config.redirectHttpPort >= 0) {
            InetSocketAddress plain = new InetSocketAddress(config.bind.getAddress(), config.redirectHttpPort);
            try {
                redirect = HttpsRedirect.start(plain, address.getPort(), config.headerTimeout, config.parseLimits);
            } catch (IOException e) {
                throw new IOException("cannot listen on port " + config.redirectHttpPort + " for --redirect-http: "
                        + e.getMessage(), e);
            }
        }
        for (ServingLoop loop : loops) {
            loop.start();
        }
    }

    /** The address of the plain HTTP port that redirects to HTTPS, or null when there is none. */
    public InetSocketAddress redirectAddress() {
        try {
            return redirect == null ? null : redirect.address();
        } catch (IOException e) {
            return null;
        }
    }

    /** The status endpoints' own listening socket could not be bound (the main one could). */
    public static final class StatusListenException extends java.net.BindException {
        private static final long serialVersionUID = 1L;

        StatusListenException(java.net.BindException cause) {
            super(cause.getMessage());
            initCause(cause);
        }
    }

    /** The address actually bound (the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return address;
    }

    public int port() {
        return address.getPort();
    }

    /**
     * The server's base URI, {@code http://host:port/}, with the port actually bound; a wildcard bind
     * (0.0.0.0, ::) answers on loopback, so the URI names loopback.
     */
    public URI uri() {
        URI plain = uri(address);
        return tls == null ? plain : URI.create("https" + plain.toString().substring(4));
    }

    /** The address of the status endpoints' own listener as bound, or null when they have none. */
    public InetSocketAddress statusAddress() {
        return statusAddress;
    }

    /** The status endpoints' base URI: their own listener's, or the main one's with the status path; null when off. */
    public URI statusUri() {
        if (status == null) {
            return null;
        }
        return statusAddress != null ? uri(statusAddress).resolve(status.prefix() + "/") : uri().resolve(status.prefix() + "/");
    }

    private static URI uri(InetSocketAddress address) {
        InetAddress host = address.getAddress().isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : address.getAddress();
        String literal = host instanceof Inet6Address ? "[" + host.getHostAddress().replace("%", "%25") + "]" : host.getHostAddress();
        return URI.create("http://" + literal + ":" + address.getPort() + "/");
    }

    /** The directory served, as a real path. */
    public Path root() {
        return tree.root();
    }

    public ServerConfig config() {
        return config;
    }

    /** A snapshot of the counters, each loop read on its own thread. Blocks; not for a dispatcher. */
    public ServerStats stats() {
        return statsAsync().join();
    }

    /** The same snapshot, completed by whichever dispatcher answers last. */
    public CompletableFuture<ServerStats> statsAsync() {
        long second = Math.floorDiv(System.currentTimeMillis(), 1000);
        List<CompletableFuture<ServerStats>> parts = new ArrayList<>();
        for (ServingLoop loop : loops) {
            parts.add(loop.snapshot(second));
        }
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0])).thenApply(done -> {
            List<ServerStats> all = new ArrayList<>();
            for (CompletableFuture<ServerStats> part : parts) {
                all.add(part.join());
            }
            return ServerStats.merge(all, disk.openFiles(), disk.listings(), gzip);
        });
    }

    /**
     * Reopens the access log file when its path no longer leads to the file being written (renamed or
     * replaced): rotation without a signal. Cheap (one stat); call it at most about once a second.
     */
    public void reopenAccessLogIfMoved() throws IOException {
        if (accessLog != null) {
            accessLog.reopenIfMoved();
        }
    }

    /** Reopens the access log file (after rotation; the CLI does this on SIGHUP). */
    public void reopenAccessLog() throws IOException {
        if (accessLog != null) {
            accessLog.reopen();
        }
    }

    /** The server's TLS (its certificate, for the banner's fingerprint), or null when it speaks plain HTTP. */
    public TlsContext tls() {
        return tls;
    }

    /**
     * Reads the TLS certificate and key again (the CLI does this on SIGHUP): new connections use them, open
     * ones finish with the old. A pair that does not load is refused (the exception says why) and the old
     * one stays. Nothing to do without TLS.
     */
    public void reloadTls() throws IOException {
        if (tls != null) {
            tls.reload();
            log.info("TLS certificate reloaded (SHA-256 {})", tls.fingerprint());
        }
    }

    /** The disk helpers' pool; tests occupy it to show what does not depend on it. */
    ExecutorService diskHelpers() {
        return diskHelpers;
    }

    /** The status endpoints' path ("" for the root of their own listener), or null when they are off. */
    public String statusPath() {
        return status == null ? null : status.prefix();
    }

    /**
     * Stops gracefully: the health endpoint answers 503 from now on; after the drain delay (default none,
     * time for a load balancer to notice) it stops accepting, closes idle connections at once, lets
     * responses in flight finish for up to {@code grace}, then closes what is left and ends every thread.
     * Idempotent; blocks.
     */
    public void shutdown(Duration grace) {
        synchronized (this) {
            if (stopping) {
                awaitStopped();
                return;
            }
            stopping = true;
        }
        if (!config.drainDelay.isZero()) {
            log.info("shutting down: health answers 503; still serving for {}", human(config.drainDelay));
            try {
                Thread.sleep(config.drainDelay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (redirect != null) {
            redirect.close();
        }
        try {
            onEveryLoop(ServingLoop::drain, grace);
        } catch (TimeoutException e) {
            // the drains may simply not have run yet (a grace of 0s): warn only about connections really left
            int left = connectionsOpen();
            if (left != 0) {
                log.warn("shutdown: responses still in flight after {}; closing them", human(grace));
            }
        } catch (Exception e) {
            log.warn("shutdown: {}", e.toString());
        }
        try {
            onEveryLoop(ServingLoop::closeAll, Duration.ofSeconds(5));
        } catch (Exception e) {
            log.warn("shutdown: closing connections: {}", e.toString());
        }
        awaitQuiet();
        try {
            onEveryLoop(ServingLoop::flushAccessLog, Duration.ofSeconds(5));
        } catch (Exception e) {
            log.warn("shutdown: the access log may miss its last lines: {}", e.toString());
        }
        abort();
    }

    /** Starts {@code step} on every loop at once and waits up to {@code bound} for all of them. */
    private void onEveryLoop(Function<ServingLoop, CompletableFuture<Void>> step, Duration bound) throws Exception {
        CompletableFuture<?>[] all = new CompletableFuture<?>[loops.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = step.apply(loops.get(i));
        }
        CompletableFuture.allOf(all).get(bound.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * After the connections closed, the operations they had in flight still report (and release their
     * files and buffers) on the dispatchers: give them a moment before the dispatchers stop.
     */
    private void awaitQuiet() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < deadline) {
            ServerStats s;
            try {
                s = statsAsync().get(1, TimeUnit.SECONDS);
            } catch (Exception e) {
                return;
            }
            if (s.openFiles() == 0 && s.buffersInUse() == 0) {
                return;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    /** Whether the disk helpers still answer, for the health endpoint. */
    DiskProbe diskProbe() {
        return diskProbe;
    }

    /** Connections open now (each loop asked after the tasks queued before), or -1 when it cannot tell. */
    private int connectionsOpen() {
        try {
            return statsAsync().get(1, TimeUnit.SECONDS).openConnections();
        } catch (Exception e) {
            return -1;
        }
    }

    /** A duration as a user types it: 500ms, 10s, 2m, 1h. */
    static String human(Duration d) {
        long ms = d.toMillis();
        if (ms != 0 && ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms != 0 && ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    /** Whether a shutdown has begun. */
    public boolean isStopping() {
        return stopping;
    }

    /** Blocks until the server has stopped. */
    public void awaitStopped() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ends all threads without waiting for responses. */
    private void abort() {
        for (ServingLoop loop : loops) {
            loop.stop();
        }
        if (accessLog != null) {
            accessLog.close();
        }
        diskHelpers.shutdownNow();
        rules.close();
        if (tls != null) {
            tls.close();
        }
        if (redirect != null) {
            redirect.close();
        }
        for (ServingLoop loop : loops) {
            try {
                // a dispatcher's group ends with it (the shared group of the fallback is dispatcher 0's)
                loop.dispatcher.awaitStop(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        stopped.countDown();
    }

    /** Stops with the configured shutdown timeout. */
    @Override
    public void close() {
        shutdown(config.shutdownTimeout);
    }
}
