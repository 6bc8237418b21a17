package amped.core.server;

import amped.core.auth.Credential;
import amped.core.auth.Htpasswd;
import amped.core.log.AccessLogFormat;
import amped.protocol.ConfiguredField;
import amped.core.tls.TlsIdentity;
import amped.protocol.MimeTypes;
import amped.protocol.ParseLimits;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything the server can be told. Built with {@link #builder(Path)} (or {@link AmpedServer#builder()},
 * which starts the server in the end); every option has the default the CLI documents.
 */
public final class ServerConfig {

    public final Path root;
    public final InetSocketAddress bind;
    public final int dispatchers;
    /**
     * Whether several dispatchers each listen with SO_REUSEPORT (when the platform has it); false makes one
     * listener hand connections out in turn, the fallback for platforms without it.
     */
    public final boolean reusePort;
    public final int diskThreads;
    public final int chunkSize;
    /** Largest file whose content the cache keeps. */
    public final int cacheMaxFile;
    /** Memory for the file cache (content and metadata), all dispatchers together; 0 turns it off. */
    public final long cacheSize;
    public final long bufferMemory;
    public final int maxConnections;
    public final ParseLimits parseLimits;
    public final Duration headerTimeout;
    public final Duration idleTimeout;
    public final Duration sendTimeout;
    public final Duration shutdownTimeout;
    /** How long a shutdown keeps serving (health answering 503) before it stops accepting. */
    public final Duration drainDelay;
    public final boolean listing;
    /** Whether a directory can be downloaded as a zip archive ({@code ?download=zip}). */
    public final boolean archives;
    /**
     * Memory for directory listings, all dispatchers together: the entries of the listings being built or
     * in use and the pages rendered from them (see {@code Listings}). A listing that would not fit is
     * answered 503 with Retry-After.
     */
    public final long listingMemory;
    public final boolean showHidden;
    public final boolean followSymlinks;
    public final boolean precompressed;
    /** Whether compressible files without a gzip sibling are gzipped for clients that ask (see GzipContent). */
    public final boolean gzip;
    public final String cacheControl;
    public final MimeTypes mimeTypes;
    /** Access log destination: null (off), "-" (standard output) or a file path. */
    public final String accessLog;
    public final AccessLogFormat logFormat;
    /** Path of the status endpoints (e.g. "/-/status"), or null when off. */
    public final String statusPath;
    public final boolean statusPublic;
    /**
     * The address of the status endpoints' own listener, or null: with it they answer there only (at the
     * status path when set, else at /), to whoever reaches that address, and never on the main port.
     */
    public final InetSocketAddress statusListen;
    /** Who may come in with basic authentication; empty: everyone (no credentials asked). */
    public final List<Credential> credentials;
    /** Fields added to every response. */
    public final List<ConfiguredField> headers;
    public final boolean cors;
    /** Whether a GET of a route (no file, no extension) gets /index.html. */
    public final boolean spa;
    /** The path under the root whose file is the body of 404s when it exists, or null. */
    public final String notFoundPage;
    /** The error page unless told otherwise: a 404.html at the root, when there is one. */
    public static final String DEFAULT_NOT_FOUND_PAGE = "/404.html";
    /** Where the TLS certificate comes from, or null to speak plain HTTP. */
    public final TlsIdentity tls;
    /** How long browsers are told to use HTTPS only (Strict-Transport-Security), or null: not told. */
    public final Duration hsts;
    /** A plain HTTP port on the bind address that redirects (308) to HTTPS, or -1: none. */
    public final int redirectHttpPort;

    private ServerConfig(Builder b) {
        root = b.root;
        bind = b.bind;
        dispatchers = b.dispatchers;
        reusePort = b.reusePort;
        diskThreads = b.diskThreads;
        chunkSize = b.chunkSize;
        cacheMaxFile = b.cacheMaxFile;
        cacheSize = b.cacheSize;
        bufferMemory = b.bufferMemory;
        maxConnections = b.maxConnections;
        parseLimits = b.parseLimits;
        headerTimeout = b.headerTimeout;
        idleTimeout = b.idleTimeout;
        sendTimeout = b.sendTimeout;
        shutdownTimeout = b.shutdownTimeout;
        drainDelay = b.drainDelay;
        listing = b.listing;
        archives = b.archives;
        listingMemory = b.listingMemory;
        showHidden = b.showHidden;
        followSymlinks = b.followSymlinks;
        precompressed = b.precompressed;
        gzip = b.gzip;
        cacheControl = b.cacheControl;
        mimeTypes = b.mimeTypes;
        accessLog = b.accessLog;
        logFormat = b.logFormat;
        statusPath = b.statusPath;
        statusPublic = b.statusPublic;
        statusListen = b.statusListen;
        credentials = List.copyOf(b.credentials);
        headers = List.copyOf(b.headers);
        cors = b.cors;
        spa = b.spa;
        notFoundPage = b.notFoundPage;
        tls = b.tls;
        hsts = b.hsts;
        redirectHttpPort = b.redirectHttpPort;
    }

    public static Builder builder(Path root) {
        return new Builder(Objects.requireNonNull(root, "root"));
    }

    /** A builder with no root yet: {@link Builder#root} must be called before building. */
    static Builder builder() {
        return new Builder(null);
    }

    /** Builder with the documented defaults. */
    public static final class Builder {
        private Path root;
        private InetSocketAddress bind = new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080);
        private int dispatchers = 1;
        private boolean reusePort = true;
        private int diskThreads = 4;
        private int chunkSize = 256 * 1024;
        private int cacheMaxFile = 64 * 1024;
        private long cacheSize = 64L * 1024 * 1024;
        private long bufferMemory = 64L * 1024 * 1024;
        private int maxConnections = 10_000;
        private ParseLimits parseLimits = ParseLimits.DEFAULTS;
        private Duration headerTimeout = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration sendTimeout = Duration.ofSeconds(60);
        private Duration shutdownTimeout = Duration.ofSeconds(10);
        private Duration drainDelay = Duration.ZERO;
        private boolean listing = true;
        private boolean archives = true;
        private long listingMemory = 32L * 1024 * 1024;
        private boolean showHidden;
        private boolean followSymlinks;
        private boolean precompressed = true;
        private boolean gzip = true;
        private String cacheControl;
        private MimeTypes mimeTypes = MimeTypes.defaults();
        private String accessLog;
        private AccessLogFormat logFormat = AccessLogFormat.COMBINED;
        private String statusPath;
        private boolean statusPublic;
        private InetSocketAddress statusListen;
        private final List<Credential> credentials = new ArrayList<>();
        private final List<ConfiguredField> headers = new ArrayList<>();
        private boolean cors;
        private boolean spa;
        private String notFoundPage = DEFAULT_NOT_FOUND_PAGE;
        private TlsIdentity tls;
        private Duration hsts;
        private int redirectHttpPort = -1;

        private Builder(Path root) {
            this.root = root;
        }

        /** The directory to serve (required). */
        public Builder root(Path directory) {
            this.root = Objects.requireNonNull(directory, "root");
            return this;
        }

        /** The TCP port on the address already chosen (127.0.0.1 unless {@link #bind} said otherwise); 0 picks a free one. */
        public Builder port(int port) {
            this.bind = new InetSocketAddress(bind.getAddress(), port);
            return this;
        }

        public Builder bind(InetSocketAddress address) {
            this.bind = address;
            return this;
        }

        public Builder dispatchers(int n) {
            this.dispatchers = n;
            return this;
        }

        public Builder reusePort(boolean on) {
            this.reusePort = on;
            return this;
        }

        public Builder diskThreads(int n) {
            this.diskThreads = n;
            return this;
        }

        public Builder chunkSize(int bytes) {
            this.chunkSize = bytes;
            return this;
        }

        public Builder cacheMaxFile(int bytes) {
            this.cacheMaxFile = bytes;
            return this;
        }

        public Builder cacheSize(long bytes) {
            this.cacheSize = bytes;
            return this;
        }

        public Builder bufferMemory(long bytes) {
            this.bufferMemory = bytes;
            return this;
        }

        public Builder maxConnections(int n) {
            this.maxConnections = n;
            return this;
        }

        public Builder parseLimits(ParseLimits limits) {
            this.parseLimits = limits;
            return this;
        }

        public Builder headerTimeout(Duration d) {
            this.headerTimeout = d;
            return this;
        }

        public Builder idleTimeout(Duration d) {
            this.idleTimeout = d;
            return this;
        }

        public Builder sendTimeout(Duration d) {
            this.sendTimeout = d;
            return this;
        }

        public Builder shutdownTimeout(Duration d) {
            this.shutdownTimeout = d;
            return this;
        }

        public Builder drainDelay(Duration d) {
            this.drainDelay = d;
            return this;
        }

        public Builder listing(boolean on) {
            this.listing = on;
            return this;
        }

        /** Whether {@code /dir/?download=zip} answers a zip of the folder (else 404). */
        public Builder archives(boolean on) {
            this.archives = on;
            return this;
        }

        public Builder listingMemory(long bytes) {
            this.listingMemory = bytes;
            return this;
        }

        public Builder showHidden(boolean on) {
            this.showHidden = on;
            return this;
        }

        public Builder followSymlinks(boolean on) {
            this.followSymlinks = on;
            return this;
        }

        public Builder precompressed(boolean on) {
            this.precompressed = on;
            return this;
        }

        /** Gzip compressible files on the fly for clients that accept it (on by default). */
        public Builder gzip(boolean on) {
            this.gzip = on;
            return this;
        }

        public Builder cacheControl(String value) {
            this.cacheControl = value;
            return this;
        }

        public Builder mimeTypes(MimeTypes types) {
            this.mimeTypes = types;
            return this;
        }

        /** null: off; "-": standard output; otherwise a file path. */
        public Builder accessLog(String destination) {
            this.accessLog = destination;
            return this;
        }

        public Builder logFormat(AccessLogFormat format) {
            this.logFormat = format;
            return this;
        }

        /** The status endpoints' path, e.g. "/-/status"; null turns them off. */
        public Builder statusPath(String path) {
            this.statusPath = path;
            return this;
        }

        public Builder statusPublic(boolean on) {
            this.statusPublic = on;
            return this;
        }

        /** A listener of their own for the status endpoints (port 0 picks a free one); null: none. */
        public Builder statusListen(InetSocketAddress address) {
            this.statusListen = address;
            return this;
        }

        /** Lets {@code user} in with {@code password} (basic authentication; repeatable). */
        public Builder auth(String user, String password) {
            return credentials(List.of(Credential.parsePair(user + ":" + password)));
        }

        /** Lets these users in (e.g. the lines of an htpasswd file, {@link Htpasswd}); each user once. */
        public Builder credentials(List<? extends Credential> users) {
            this.credentials.addAll(users);
            if (Htpasswd.duplicateUser(credentials) != null) {
                throw new IllegalArgumentException("user " + Htpasswd.duplicateUser(credentials) + " is given twice");
            }
            return this;
        }

        /** Adds {@code name: value} to every response; refused as {@link ConfiguredField#of} says. */
        public Builder header(String name, String value) {
            this.headers.add(ConfiguredField.of(name, value));
            return this;
        }

        public Builder cors(boolean on) {
            this.cors = on;
            return this;
        }

        public Builder spa(boolean on) {
            this.spa = on;
            return this;
        }

        /** The file under the root, e.g. "/errors/404.html", sent as the body of 404s; null: none. Only 404. */
        public Builder errorPage(int status, String path) {
            if (status != 404 || path != null && (!path.startsWith("/") || path.endsWith("/"))) {
                throw new IllegalArgumentException("an error page is a 404's, at a file's path such as /404.html; was "
                        + status + " " + path);
            }
            this.notFoundPage = path;
            return this;
        }

        /** Serve HTTPS with this certificate and key; null (the default) serves plain HTTP. */
        public Builder tls(TlsIdentity identity) {
            this.tls = identity;
            return this;
        }

        /** Send Strict-Transport-Security with this max-age on HTTPS responses; null (the default) sends none. */
        public Builder hsts(Duration maxAge) {
            this.hsts = maxAge;
            return this;
        }

        /** Also listen for plain HTTP on this port (0 picks one) of the bind address, answering 308 to HTTPS; -1: not. */
        public Builder redirectHttpPort(int port) {
            this.redirectHttpPort = port;
            return this;
        }

        /** Builds the configuration and starts a server with it: {@code AmpedServer.start(build())}. */
        public AmpedServer start() throws IOException {
            return AmpedServer.start(build());
        }

        public ServerConfig build() {
            if (root == null) {
                throw new IllegalStateException("no root: call root(directory)");
            }
            if (dispatchers < 1) {
                throw new IllegalArgumentException("dispatchers must be at least 1");
            }
            if (diskThreads < 1) {
                throw new IllegalArgumentException("disk threads must be at least 1");
            }
            if (chunkSize < BufferPool.MIN_BUFFER) {
                throw new IllegalArgumentException("chunk size must be at least " + BufferPool.MIN_BUFFER / 1024 + "k");
            }
            if (bufferMemory < (long) chunkSize * dispatchers) {
                throw new IllegalArgumentException("buffer memory must hold at least one chunk per dispatcher");
            }
            if (listingMemory < 0) {
                throw new IllegalArgumentException("listing memory must not be negative");
            }
            if (cacheMaxFile < 0 || cacheSize < 0) {
                throw new IllegalArgumentException("cache sizes must not be negative");
            }
            if (maxConnections < 1) {
                throw new IllegalArgumentException("max connections must be at least 1");
            }
            if (statusPath != null) {
                if (!statusPath.startsWith("/") || statusPath.length() < 2 || statusPath.endsWith("/")
                        || statusPath.contains("//") || statusPath.contains("/./") || statusPath.contains("/../")
                        || statusPath.endsWith("/.") || statusPath.endsWith("/..")
                        || !statusPath.chars().allMatch(c -> c > 0x20 && c < 0x7F && c != '%' && c != '?' && c != '#')) {
                    throw new IllegalArgumentException("status path must look like /-/status (absolute, no trailing"
                            + " slash, no dot segments, no %, ? or #), was '" + statusPath + "'");
                }
            }
            if (tls == null && (hsts != null || redirectHttpPort >= 0)) {
                throw new IllegalArgumentException("HSTS and the HTTP redirect need TLS");
            }
            return new ServerConfig(this);
        }
    }
}
