package amped.cli;

import amped.core.server.Version;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The command line of amped, in help groups; every option can also come from AMPED_<OPTION>. */
@Command(name = "amped",
        mixinStandardHelpOptions = true,
        versionProvider = Options.VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = "Serves the files under DIR over HTTP/1.1: an event-driven (AMPED) file server.",
        footer = {"", "Sizes: 4096, 256k, 64m, 1g.", "Durations: 500ms, 10s, 2m, 1h; a bare number is seconds.",
                "Every option can also be set in the environment: --disk-threads 8 is AMPED_DISK_THREADS=8."})
final class Options {

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", defaultValue = ".",
            description = "Directory to serve (default: the current directory).")
    String directory;

    @ArgGroup(validate = false, heading = "%nNetwork%n", order = 1)
    Network network = new Network();

    @ArgGroup(validate = false, heading = "%nHTTPS%n", order = 2)
    Tls tls = new Tls();

    @ArgGroup(validate = false, heading = "%nContent%n", order = 2)
    Content content = new Content();

    @ArgGroup(validate = false, heading = "%nLimits and timeouts%n", order = 3)
    Limits limits = new Limits();

    @ArgGroup(validate = false, heading = "%nPerformance%n", order = 4)
    Performance performance = new Performance();

    @ArgGroup(validate = false, heading = "%nOperations%n", order = 5)
    Operations operations = new Operations();

    @ArgGroup(validate = false, heading = "%nAccess and responses%n", order = 6)
    Access access = new Access();

    static final class Network {
        @Option(names = "--port", paramLabel = "N", defaultValue = "8080",
                description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
        String port;

        @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
                description = "Address to listen on; 0.0.0.0 or :: for all (default: ${DEFAULT-VALUE}).")
        String bind;
    }

    static final class Tls {
        @Option(names = "--tls-cert", paramLabel = "FILE",
                description = "Serve HTTPS with this PEM certificate chain (the server's first); needs --tls-key.")
        String cert;

        @Option(names = "--tls-key", paramLabel = "FILE",
                description = "The PEM private key of --tls-cert (PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted).")
        String key;

        @Option(names = "--tls-keystore", paramLabel = "FILE",
                description = "Serve HTTPS with the key and certificate chain of this PKCS#12 keystore.")
        String keystore;

        @Option(names = "--tls-keystore-password-file", paramLabel = "FILE",
                description = "File whose first line is the keystore's password (default: AMPED_TLS_KEYSTORE_PASSWORD, else none).")
        String keystorePasswordFile;

        @Option(names = "--tls-self-signed",
                description = "Serve HTTPS with a certificate made at start for localhost and the bound addresses.")
        boolean selfSigned;

        @Option(names = "--redirect-http", paramLabel = "PORT",
                description = "Also listen for plain HTTP on PORT, answering 308 to the same URL on HTTPS (default: off).")
        String redirectHttp;

        @Option(names = "--hsts", paramLabel = "DURATION",
                description = "Send Strict-Transport-Security with this max-age on HTTPS, e.g. 8760h for a year (default: off).")
        String hsts;
    }

    static final class Content {
        @Option(names = "--no-listing", description = "Answer 404 for directories without index.html instead of listing them.")
        boolean noListing;

        @Option(names = "--no-archive", description = "Answer 404 to /dir/?download=zip instead of a zip of the folder.")
        boolean noArchive;

        @Option(names = "--show-hidden", description = "Serve and list dotfiles and dot-directories.")
        boolean showHidden;

        @Option(names = "--follow-symlinks", description = "Follow symbolic links (only to what is inside DIR).")
        boolean followSymlinks;

        @Option(names = "--no-precompressed", description = "Never serve f.br or f.gz in place of f.")
        boolean noPrecompressed;

        @Option(names = "--no-gzip", description = "Never gzip compressible files on the fly for clients that accept gzip.")
        boolean noGzip;

        @Option(names = "--cache-control", paramLabel = "VALUE",
                description = "Cache-Control value for file responses (default: none).")
        String cacheControl;

        @Option(names = "--mime", paramLabel = "EXT=TYPE", split = ",",
                description = "Media type for an extension, e.g. --mime log=text/plain (repeatable).")
        List<String> mime = new ArrayList<>();
    }

    static final class Limits {
        @Option(names = "--max-connections", paramLabel = "N", defaultValue = "10000",
                description = "Connections open at once; more wait in the backlog (default: ${DEFAULT-VALUE}).")
        String maxConnections;

        @Option(names = "--header-timeout", paramLabel = "DURATION", defaultValue = "10s",
                description = "Time to send a complete request head (default: ${DEFAULT-VALUE}).")
        String headerTimeout;

        @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "60s",
                description = "Time a keep-alive connection may sit idle (default: ${DEFAULT-VALUE}).")
        String idleTimeout;

        @Option(names = "--send-timeout", paramLabel = "DURATION", defaultValue = "60s",
                description = "Time a send may make no progress (default: ${DEFAULT-VALUE}).")
        String sendTimeout;

        @Option(names = "--shutdown-timeout", paramLabel = "DURATION", defaultValue = "10s",
                description = "Time responses in flight get to finish on SIGTERM (default: ${DEFAULT-VALUE}).")
        String shutdownTimeout;

        @Option(names = "--max-request-line", paramLabel = "SIZE", defaultValue = "8k",
                description = "Longest request line; longer gets 414 (default: ${DEFAULT-VALUE}).")
        String maxRequestLine;

        @Option(names = "--max-header-size", paramLabel = "SIZE", defaultValue = "16k",
                description = "Largest header section; larger gets 431 (default: ${DEFAULT-VALUE}).")
        String maxHeaderSize;

        @Option(names = "--max-headers", paramLabel = "N", defaultValue = "100",
                description = "Most header fields; more gets 431 (default: ${DEFAULT-VALUE}).")
        String maxHeaders;
    }

    static final class Performance {
        @Option(names = "--dispatchers", paramLabel = "N|auto", defaultValue = "1",
                description = "Dispatcher threads, each with its own listening socket; auto = one per CPU (default: ${DEFAULT-VALUE}).")
        String dispatchers;

        @Option(names = "--disk-threads", paramLabel = "N", defaultValue = "4",
                description = "Disk helper threads that open and read files (default: ${DEFAULT-VALUE}).")
        String diskThreads;

        @Option(names = "--chunk-size", paramLabel = "SIZE", defaultValue = "256k",
                description = "Largest piece of a file read and sent at once (default: ${DEFAULT-VALUE}).")
        String chunkSize;

        @Option(names = "--buffer-memory", paramLabel = "SIZE", defaultValue = "64m",
                description = "Direct memory for send buffers, all connections together (default: ${DEFAULT-VALUE}).")
        String bufferMemory;

        @Option(names = "--cache-size", paramLabel = "SIZE", defaultValue = "64m",
                description = "Memory for cached file metadata and small files; 0 turns the cache off (default: ${DEFAULT-VALUE}).")
        String cacheSize;

        @Option(names = "--cache-max-file", paramLabel = "SIZE", defaultValue = "64k",
                description = "Largest file whose content is cached (default: ${DEFAULT-VALUE}).")
        String cacheMaxFile;

        @Option(names = "--listing-memory", paramLabel = "SIZE", defaultValue = "32m",
                description = "Memory for directory listings being built or sent; a listing that does not fit"
                        + " gets 503 (default: ${DEFAULT-VALUE}).")
        String listingMemory;
    }

    static final class Operations {
        @Option(names = "--access-log", paramLabel = "PATH|-|off",
                description = "Access log: a file, - for standard output, or off"
                        + " (default: - when standard output is a terminal, else off).")
        String accessLog;

        @Option(names = "--log-format", paramLabel = "combined|json", defaultValue = "combined",
                description = "Access log format (default: ${DEFAULT-VALUE}).")
        String logFormat;

        @Option(names = "--status", paramLabel = "PATH",
                description = "Serve the status page, PATH/metrics and PATH/health under PATH, e.g. /-/status (default: off).")
        String status;

        @Option(names = "--status-public", description = "Let the status endpoints answer other hosts than loopback.")
        boolean statusPublic;

        @Option(names = "--status-listen", paramLabel = "ADDR:PORT",
                description = "Serve the status endpoints on a listener of their own, e.g. 127.0.0.1:9090, at /, /metrics and"
                        + " /health (under PATH with --status), and never on the main port (default: off).")
        String statusListen;

        @Option(names = "--drain-delay", paramLabel = "DURATION", defaultValue = "0s",
                description = "On SIGTERM keep serving this long with health answering 503, then stop accepting"
                        + " (default: ${DEFAULT-VALUE}).")
        String drainDelay;

        @Option(names = "--quiet", description = "Print no startup banner.")
        boolean quiet;

        @Option(names = "--check", description = "Run every check a start runs (options, directory, access log, status path) short of binding"
                        + " the port, say what was checked, then exit (0: fine, 2: not).")
        boolean check;
    }

    static final class Access {
        @Option(names = "--auth", paramLabel = "USER:PASSWORD",
                description = "Ask for basic authentication and let this user in (repeatable; --auth-file keeps"
                        + " passwords out of the process list).")
        List<String> auth = new ArrayList<>();

        @Option(names = "--auth-file", paramLabel = "FILE",
                description = "Let in the users of this htpasswd file (bcrypt hashes, as htpasswd -B writes them).")
        String authFile;

        @Option(names = "--header", paramLabel = "'NAME: VALUE'",
                description = "Add this header field to every response (repeatable).")
        List<String> header = new ArrayList<>();

        @Option(names = "--cors", description = "Let pages of any origin read the files: Access-Control-Allow-Origin: *, and answer preflights.")
        boolean cors;

        @Option(names = "--spa", description = "Single-page app: a GET of a path that does not exist and has no extension gets /index.html.")
        boolean spa;

        @Option(names = "--error-page", paramLabel = "404=PATH",
                description = "The file under DIR sent as the body of 404s (default: /404.html when it exists).")
        String errorPage;
    }

    static final class VersionProvider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"amped " + Version.VERSION};
        }
    }
}
