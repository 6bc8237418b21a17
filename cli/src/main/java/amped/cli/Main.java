package amped.cli;

import amped.core.log.AccessLogFormat;
import amped.core.server.AmpedServer;
import amped.core.server.ServerConfig;
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
import java.util.Map;
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
        if (launch.checkOnly) {
            return check(launch.config, out, err);
        }
        AmpedServer server;
        try {
            server = AmpedServer.start(launch.config);
        } catch (BindException e) {
            err.println("amped: cannot listen on " + describe(launch.config.bind) + ": " + e.getMessage());
            return FAILED;
        } catch (IOException e) {
            err.println("amped: cannot start: " + e.getMessage());
            return FAILED;
        }
        Signals.onTerminate(() -> server.shutdown(launch.config.shutdownTimeout));
        Signals.onHangup(() -> {
            try {
                server.reopenAccessLog();
            } catch (IOException e) {
                err.println("amped: cannot reopen the access log: " + e.getMessage());
            }
        });
        if (!launch.quiet) {
            out.print(Banner.text(server, launch.config));
            out.flush();
        }
        server.awaitStopped();
        return OK;
    }

    /** --check: the configuration parsed; also try what starting would touch first, without binding. */
    private static int check(ServerConfig config, PrintStream out, PrintStream err) {
        if (config.accessLog != null && !config.accessLog.equals("-")) {
            Path log = Path.of(config.accessLog).toAbsolutePath();
            Path dir = log.getParent();
            boolean writable = Files.exists(log) ? Files.isWritable(log) : dir != null && Files.isWritable(dir);
            if (!writable) {
                err.println("amped: access log not writable: " + config.accessLog);
                return USAGE;
            }
        }
        out.println("amped: configuration OK: would serve " + config.root + " on " + url(config.bind));
        return OK;
    }

    /** What to start, or the exit code when there is nothing to start (help, version, errors). */
    static final class Launch {
        final int exitCode;
        final ServerConfig config;
        final boolean quiet;
        final boolean checkOnly;

        Launch(int exitCode, ServerConfig config, boolean quiet, boolean checkOnly) {
            this.exitCode = exitCode;
            this.config = config;
            this.quiet = quiet;
            this.checkOnly = checkOnly;
        }

        Launch(int exitCode) {
            this(exitCode, null, false, false);
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
            err.println("amped: " + oneLine(e.getMessage()) + " (see amped --help)");
            return new Launch(USAGE);
        }
        try {
            return new Launch(-1, toConfig(options, terminal), options.operations.quiet, options.operations.check);
        } catch (IllegalArgumentException e) {
            err.println("amped: " + oneLine(e.getMessage()));
            return new Launch(USAGE);
        }
    }

    static ServerConfig toConfig(Options o, boolean terminal) {
        Path dir = o.directory.toAbsolutePath().normalize();
        if (!Files.exists(dir)) {
            throw new IllegalArgumentException("no such directory: " + o.directory);
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("not a directory: " + o.directory);
        }
        if (!Files.isReadable(dir)) {
            throw new IllegalArgumentException("directory not readable: " + o.directory);
        }
        if (o.network.port < 0 || o.network.port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, was " + o.network.port);
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(o.network.bind);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve bind address: " + o.network.bind);
        }
        MimeTypes mime = MimeTypes.defaults();
        for (String spec : o.content.mime) {
            Map.Entry<String, String> override = MimeTypes.parseOverride(spec);
            mime = mime.withOverride(override.getKey(), override.getValue());
        }
        if (o.content.cacheControl != null && o.content.cacheControl.chars().anyMatch(c -> c < 0x20 || c > 0x7E)) {
            throw new IllegalArgumentException("--cache-control must be printable ASCII");
        }
        ParseLimits limits;
        try {
            limits = new ParseLimits(intSize("--max-request-line", o.limits.maxRequestLine),
                    intSize("--max-header-size", o.limits.maxHeaderSize), o.limits.maxHeaders,
                    ParseLimits.DEFAULTS.maxDiscardedBody());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--max-request-line and --max-header-size must be at least 16 bytes,"
                    + " --max-headers at least 1");
        }
        String accessLog = o.operations.accessLog == null ? (terminal ? "-" : null)
                : o.operations.accessLog.equals("off") ? null : o.operations.accessLog;
        if (accessLog != null && accessLog.isBlank()) {
            throw new IllegalArgumentException("--access-log needs a path, - or off");
        }
        if (o.operations.drainDelay.isNegative()) {
            throw new IllegalArgumentException("--drain-delay must not be negative");
        }
        requirePositive("--header-timeout", o.limits.headerTimeout);
        requirePositive("--idle-timeout", o.limits.idleTimeout);
        requirePositive("--send-timeout", o.limits.sendTimeout);
        return ServerConfig.builder(dir)
                .bind(new InetSocketAddress(address, o.network.port))
                .dispatchers(dispatchers(o.performance.dispatchers))
                .diskThreads(o.performance.diskThreads)
                .chunkSize(intSize("--chunk-size", o.performance.chunkSize))
                .bufferMemory(o.performance.bufferMemory)
                .cacheSize(o.performance.cacheSize)
                .listingMemory(o.performance.listingMemory)
                .cacheMaxFile(intSize("--cache-max-file", o.performance.cacheMaxFile))
                .maxConnections(o.limits.maxConnections)
                .parseLimits(limits)
                .headerTimeout(o.limits.headerTimeout)
                .idleTimeout(o.limits.idleTimeout)
                .sendTimeout(o.limits.sendTimeout)
                .shutdownTimeout(o.limits.shutdownTimeout)
                .listing(!o.content.noListing)
                .showHidden(o.content.showHidden)
                .followSymlinks(o.content.followSymlinks)
                .precompressed(!o.content.noPrecompressed)
                .cacheControl(o.content.cacheControl)
                .mimeTypes(mime)
                .accessLog(accessLog)
                .logFormat(AccessLogFormat.parse(o.operations.logFormat))
                .statusPath(o.operations.status)
                .statusPublic(o.operations.statusPublic)
                .drainDelay(o.operations.drainDelay)
                .build();
    }

    private static int dispatchers(String value) {
        if (value.equalsIgnoreCase("auto")) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= 1024) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("--dispatchers must be a number from 1 to 1024 or 'auto', was '" + value + "'");
    }

    private static int intSize(String option, long bytes) {
        if (bytes > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException(option + " is too large: " + Sizes.format(bytes));
        }
        return (int) bytes;
    }

    private static void requirePositive(String option, java.time.Duration d) {
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(option + " must be greater than zero");
        }
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

    private static String oneLine(String message) {
        String m = message == null ? "invalid command line" : message.strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl).strip();
    }
}
