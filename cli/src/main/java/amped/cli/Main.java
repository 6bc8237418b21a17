package amped.cli;

import amped.core.log.AccessLogFormat;
import amped.core.server.AmpedServer;
import amped.core.server.BufferPool;
import amped.core.server.ServerConfig;
import amped.core.tls.TlsIdentity;
import amped.protocol.MimeTypes;
import amped.protocol.ParseLimits;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * {@code amped [DIR] [options]}: starts the server, prints where it listens, and serves until SIGTERM or
 * Ctrl-C, which stop it gracefully with exit code 0. A bad command line or directory gets one line on
 * stderr and exit code 2; a port that cannot be bound, exit code 1.
 */
public final class Main {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs amped; returns the exit code once it has stopped (or failed to start). */
    static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        Launch launch = prepare(args, environment, out, err, System.console() != null);
        if (launch.exitCode >= 0) {
            return launch.exitCode;
        }
        ServerConfig config = launch.config;
        Preflight preflight;
        try {
            preflight = Preflight.run(config, launch.values);
        } catch (IllegalArgumentException e) {
            err.println("amped: " + oneLine(e.getMessage()));
            return USAGE;
        }
        for (String warning : preflight.warnings) {
            err.println("amped: warning: " + warning);
        }
        if (launch.checkOnly) {
            out.println("amped: configuration OK: would serve " + config.root + " on "
                    + (config.tls == null ? "" : "https") + url(config.bind).substring(config.tls == null ? 0 : 4));
            out.println("  checked: " + String.join("; ", preflight.checked));
            out.println("  not checked: whether " + describe(config.bind)
                    + (config.statusListen == null ? "" : " and " + describe(config.statusListen))
                    + " " + (config.statusListen == null ? "is" : "are") + " free (only a start binds the port)");
            return OK;
        }
        AmpedServer server;
        try {
            server = AmpedServer.start(config);
        } catch (BindException e) {
            err.println("amped: " + bindFailure(e instanceof AmpedServer.StatusListenException ? config.statusListen : config.bind, e));
            return FAILED;
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("cannot open the access log")) {
                err.println("amped: --access-log " + config.accessLog + ": cannot open it: " + reason(e.getCause())
                        + "; expected a file amped can write");
                return USAGE;
            }
            err.println("amped: cannot start: " + reason(e));
            return FAILED;
        }
        Signals.onTerminate(() -> server.shutdown(config.shutdownTimeout));
        boolean hangup = Signals.onHangup(() -> {
            try {
                server.reopenAccessLog();
            } catch (IOException e) {
                err.println("amped: cannot reopen the access log " + config.accessLog + ": " + reason(e));
            }
            CertificateWatch.reload(server, err);
        });
        if (!hangup && config.accessLog != null && !config.accessLog.equals("-")) {
            err.println("amped: SIGHUP is ignored (started under nohup?), so it cannot reopen the access log:"
                    + " the log is reopened instead when " + config.accessLog + " is renamed or replaced (checked once a second)");
            watchAccessLog(server, err);
        }
        List<Path> certificateFiles = CertificateWatch.files(config.tls);
        if (!hangup && !certificateFiles.isEmpty()) {
            err.println("amped: SIGHUP is ignored (started under nohup?), so it cannot reload the TLS certificate:"
                    + " it is reloaded instead when its files change (checked once a second)");
            CertificateWatch.start(server, certificateFiles, err);
        }
        if (!launch.quiet) {
            out.print(Banner.text(server, config));
            out.flush();
        }
        server.awaitStopped();
        return OK;
    }

    /** Rotation without a signal: once a second, reopen the access log if its path now leads elsewhere. */
    private static void watchAccessLog(AmpedServer server, PrintStream err) {
        ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "amped-access-log-watch");
            t.setDaemon(true);
            return t;
        });
        boolean[] told = new boolean[1];
        watch.scheduleWithFixedDelay(() -> {
            try {
                server.reopenAccessLogIfMoved();
                told[0] = false;
            } catch (IOException | RuntimeException e) {
                if (!told[0]) {
                    told[0] = true;
                    err.println("amped: cannot reopen the access log: " + reason(e));
                }
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    /** A failed bind in the user's words: the same message whatever the number of dispatchers. */
    static String bindFailure(InetSocketAddress bind, BindException e) {
        boolean status = e instanceof AmpedServer.StatusListenException;
        String where = "cannot listen on " + describe(bind) + (status ? " (--status-listen)" : "") + ": ";
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        if (m.contains("in use")) {
            return where + "the port is in use by another program; expected a free "
                    + (status ? "port in --status-listen" : "--port (0 picks one)");
        }
        if (m.contains("assign requested address")) {
            return where + "this machine has no address " + bind.getAddress().getHostAddress()
                    + (status ? "; expected --status-listen with one of its addresses, such as 127.0.0.1:9090"
                    : "; expected --bind with one of its addresses, 0.0.0.0 or ::");
        }
        if (m.contains("permission denied") || m.contains("access denied")) {
            return where + "permission denied (ports below 1024 need privileges); expected "
                    + (status ? "a --status-listen port of 1024 or above" : "--port 1024 or above");
        }
        return where + reason(e);
    }

    /** Why an I/O operation failed, without Java's class names. */
    static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof NoSuchFileException) {
                return "no such file or directory";
            }
            if (t instanceof AccessDeniedException) {
                return "permission denied";
            }
            if (t instanceof FileSystemException f && f.getReason() != null) {
                return f.getReason();
            }
        }
        String m = e == null || e.getMessage() == null ? "unknown error" : e.getMessage();
        return m.replaceAll("\\b(?:[a-z]+\\.)+[A-Z]\\w*(?:Exception|Error): ?", "");
    }

    /** What to start, or the exit code when there is nothing to start (help, version, errors). */
    static final class Launch {
        final int exitCode;
        final ServerConfig config;
        final boolean quiet;
        final boolean checkOnly;
        final Values values;

        Launch(int exitCode, ServerConfig config, boolean quiet, boolean checkOnly, Values values) {
            this.exitCode = exitCode;
            this.config = config;
            this.quiet = quiet;
            this.checkOnly = checkOnly;
            this.values = values;
        }

        Launch(int exitCode) {
            this(exitCode, null, false, false, null);
        }
    }

    /**
     * Parses and validates the command line.
     *
     * @param terminal whether standard output is a terminal (the access log then defaults to it)
     */
    static Launch prepare(String[] args, Map<String, String> environment, PrintStream out, PrintStream err,
                          boolean terminal) {
        Options options = new Options();
        CommandLine cli = new CommandLine(options);
        cli.setDefaultValueProvider(new EnvironmentDefaults(environment));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        try {
            CommandLine.ParseResult parsed = cli.parseArgs(args);
            if (parsed.isUsageHelpRequested()) {
                cli.usage(out);
                return new Launch(OK);
            }
            if (parsed.isVersionHelpRequested()) {
                cli.printVersionHelp(out);
                return new Launch(OK);
            }
        } catch (CommandLine.ParameterException e) {
            err.println("amped: " + new Values(args, environment).describe(e) + " (see amped --help)");
            return new Launch(USAGE);
        }
        Values values = new Values(args, environment);
        try {
            return new Launch(-1, toConfig(options, terminal, values), options.operations.quiet,
                    options.operations.check, values);
        } catch (IllegalArgumentException e) {
            err.println("amped: " + oneLine(e.getMessage()));
            return new Launch(USAGE);
        }
    }

    static ServerConfig toConfig(Options o, boolean terminal, Values v) {
        Path dir;
        try {
            dir = Path.of(o.directory).toAbsolutePath().normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException("DIR " + Values.shown(o.directory) + ": not a valid path; expected the directory to serve");
        }
        if (!Files.exists(dir)) {
            throw new IllegalArgumentException("no such directory: " + o.directory + "; expected the directory to serve (DIR)");
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("not a directory: " + o.directory + "; expected the directory to serve (DIR)");
        }
        if (!Files.isReadable(dir)) {
            throw new IllegalArgumentException("directory not readable: " + o.directory + " (permission denied)");
        }
        int port = v.integer("--port", o.network.port, 0, 65535, "a TCP port from 0 to 65535 (0 picks a free one)");
        InetAddress address;
        try {
            address = InetAddress.getByName(o.network.bind);
        } catch (UnknownHostException e) {
            throw v.bad("--bind", o.network.bind, "cannot resolve this name",
                    "an address of this machine such as 127.0.0.1, 0.0.0.0 or ::");
        }
        MimeTypes mime = MimeTypes.defaults();
        for (String spec : o.content.mime) {
            Map.Entry<String, String> override;
            try {
                override = MimeTypes.parseOverride(spec);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--mime " + Values.shown(spec) + ": " + oneLine(e.getMessage())
                        + (e.getMessage().contains("EXT=TYPE") ? "" : "; expected EXT=TYPE such as log=text/plain"));
            }
            mime = mime.withOverride(override.getKey(), override.getValue());
        }
        if (o.content.cacheControl != null && o.content.cacheControl.chars().anyMatch(c -> c < 0x20 || c > 0x7E)) {
            throw v.bad("--cache-control", o.content.cacheControl, "--cache-control must be printable ASCII",
                    "a header value without control characters, such as 'public, max-age=60'");
        }
        int maxRequestLine = v.intSize("--max-request-line", o.limits.maxRequestLine, 16, "at least 16 bytes");
        int maxHeaderSize = v.intSize("--max-header-size", o.limits.maxHeaderSize, 16, "at least 16 bytes");
        int maxHeaders = v.integer("--max-headers", o.limits.maxHeaders, 1, Integer.MAX_VALUE, "a number of fields, at least 1");
        ParseLimits limits = new ParseLimits(maxRequestLine, maxHeaderSize, maxHeaders, ParseLimits.DEFAULTS.maxDiscardedBody());
        String accessLog = o.operations.accessLog == null ? (terminal ? "-" : null)
                : o.operations.accessLog.equals("off") ? null : o.operations.accessLog;
        if (accessLog != null && accessLog.isBlank()) {
            throw v.bad("--access-log", o.operations.accessLog, "--access-log needs a path, - or off",
                    "a file path, - (standard output) or off");
        }
        int dispatchers = o.performance.dispatchers.equalsIgnoreCase("auto") ? Runtime.getRuntime().availableProcessors()
                : v.integer("--dispatchers", o.performance.dispatchers, 1, 1024, "a number from 1 to 1024 or auto (one per CPU)");
        int diskThreads = v.integer("--disk-threads", o.performance.diskThreads, 1, 1024, "a number from 1 to 1024");
        int chunkSize = v.intSize("--chunk-size", o.performance.chunkSize, BufferPool.MIN_BUFFER,
                "at least " + Sizes.format(BufferPool.MIN_BUFFER));
        long bufferMemory = v.size("--buffer-memory", o.performance.bufferMemory);
        if (bufferMemory < (long) chunkSize * dispatchers) {
            throw v.bad("--buffer-memory", o.performance.bufferMemory, "too small: buffer memory must hold at least one "
                    + Sizes.format(chunkSize) + " chunk per dispatcher", "at least " + Sizes.format((long) chunkSize * dispatchers));
        }
        long cacheSize = v.size("--cache-size", o.performance.cacheSize);
        long listingMemory = v.size("--listing-memory", o.performance.listingMemory);
        int cacheMaxFile = v.intSize("--cache-max-file", o.performance.cacheMaxFile, 0, "0 or more");
        int maxConnections = v.integer("--max-connections", o.limits.maxConnections, 1, Integer.MAX_VALUE,
                "a number of connections, at least 1");
        Duration headerTimeout = v.duration("--header-timeout", o.limits.headerTimeout, false);
        Duration idleTimeout = v.duration("--idle-timeout", o.limits.idleTimeout, false);
        Duration sendTimeout = v.duration("--send-timeout", o.limits.sendTimeout, false);
        Duration shutdownTimeout = v.duration("--shutdown-timeout", o.limits.shutdownTimeout, true);
        Duration drainDelay = v.duration("--drain-delay", o.operations.drainDelay, true);
        AccessLogFormat format;
        try {
            format = AccessLogFormat.parse(o.operations.logFormat);
        } catch (IllegalArgumentException e) {
            throw v.bad("--log-format", o.operations.logFormat, "unknown log format '" + o.operations.logFormat + "'",
                    "combined or json");
        }
        String status = o.operations.status;
        if (status != null) {
            String problem = Values.statusPathProblem(status);
            if (problem != null) {
                throw v.bad("--status", status, problem, "a path such as /-/status (status path must look like /-/status)");
            }
        }
        InetSocketAddress statusListen = o.operations.statusListen == null ? null
                : v.socketAddress("--status-listen", o.operations.statusListen);
        if (statusListen != null && statusListen.getPort() != 0 && statusListen.getPort() == port
                && (statusListen.getAddress().equals(address) || statusListen.getAddress().isAnyLocalAddress()
                        || address.isAnyLocalAddress())) {
            throw v.bad("--status-listen", o.operations.statusListen, "the main listener's port (--port " + port + ")",
                    "a port of its own such as 127.0.0.1:9090");
        }
        if (o.operations.statusPublic && statusListen != null) {
            throw new IllegalArgumentException(v.flag("--status-public") + ": the status endpoints are on --status-listen's"
                    + " own listener, which answers whoever reaches its address; expected no --status-public, and"
                    + " --status-listen on the address they may be reached on");
        }
        if (o.operations.statusPublic && status == null) {
            throw new IllegalArgumentException(v.flag("--status-public") + ": there are no status endpoints to open up"
                    + " without --status; expected --status PATH as well, or no --status-public");
        }
        TlsIdentity tls = TlsOptions.identity(o.tls, address, v);
        int redirectHttp = TlsOptions.redirectPort(o.tls, tls, port, v);
        Duration hsts = TlsOptions.hsts(o.tls, tls, v);
        ServerConfig.Builder builder = ServerConfig.builder(dir)
                .tls(tls)
                .hsts(hsts)
                .redirectHttpPort(redirectHttp)
                .bind(new InetSocketAddress(address, port))
                .dispatchers(dispatchers)
                .diskThreads(diskThreads)
                .chunkSize(chunkSize)
                .bufferMemory(bufferMemory)
                .cacheSize(cacheSize)
                .listingMemory(listingMemory)
                .cacheMaxFile(cacheMaxFile)
                .maxConnections(maxConnections)
                .parseLimits(limits)
                .headerTimeout(headerTimeout)
                .idleTimeout(idleTimeout)
                .sendTimeout(sendTimeout)
                .shutdownTimeout(shutdownTimeout)
                .listing(!o.content.noListing)
                .archives(!o.content.noArchive)
                .showHidden(o.content.showHidden)
                .followSymlinks(o.content.followSymlinks)
                .precompressed(!o.content.noPrecompressed)
                .gzip(!o.content.noGzip)
                .cacheControl(o.content.cacheControl)
                .mimeTypes(mime)
                .accessLog(accessLog)
                .logFormat(format)
                .statusPath(status)
                .statusPublic(o.operations.statusPublic)
                .statusListen(statusListen)
                .drainDelay(drainDelay);
        return AccessValues.apply(o.access, v, builder).build();
    }

    static String url(InetSocketAddress address) {
        return "http://" + describe(address) + "/";
    }

    static String describe(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        if (host.indexOf(':') >= 0) {
            int zone = host.indexOf('%');
            host = "[" + (zone >= 0 ? host.substring(0, zone) : host) + "]";
        }
        return host + ":" + address.getPort();
    }

    static String oneLine(String message) {
        String m = message == null ? "invalid command line" : message.strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl).strip();
    }
}
