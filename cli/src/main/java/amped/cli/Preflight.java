package amped.cli;

import amped.core.server.ServerConfig;
import amped.core.tls.TlsContext;
import amped.core.tls.TlsIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks a start makes before it binds the port, run by a start and by {@code --check} alike (after
 * the command line parsed: every value, and the directory). A refusal is an {@link IllegalArgumentException}
 * in the user's words (exit code 2); what it checked and what it warns about are kept for the caller.
 */
final class Preflight {

    final List<String> checked = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();

    private Preflight() {
    }

    static Preflight run(ServerConfig config, Values values) {
        Preflight p = new Preflight();
        p.checked.add("every option's value");
        p.checked.add("the directory " + config.root + " (exists, readable)");
        p.accessLog(config, values);
        p.statusPath(config);
        p.errorPage(config, values);
        p.credentials(config);
        p.tls(config);
        return p;
    }

    /** An error page given with --error-page must be a file amped would serve; the default may be missing. */
    private void errorPage(ServerConfig config, Values values) {
        if (config.notFoundPage == null) {
            return;
        }
        Path page = config.root.resolve(config.notFoundPage.substring(1));
        boolean hidden = !config.showHidden && List.of(config.notFoundPage.split("/")).stream().anyMatch(s -> s.startsWith("."));
        boolean link = !config.followSymlinks && Files.isSymbolicLink(page);
        boolean file = !link && Files.isRegularFile(page);
        if (!config.notFoundPage.equals(ServerConfig.DEFAULT_NOT_FOUND_PAGE) && (hidden || !file)) {
            throw values.bad("--error-page", "404=" + config.notFoundPage.substring(1),
                    hidden ? "a hidden path, which amped does not serve without --show-hidden"
                    : link ? "a symbolic link, which amped does not follow without --follow-symlinks"
                    : "no such file in " + config.root,
                    "404=PATH with PATH a file under DIR, such as 404=errors/404.html");
        }
        checked.add("the error page " + config.notFoundPage + (file && !hidden ? " (a file)" : " (not there: plain 404s)"));
    }

    /** Basic authentication sends passwords readable by anyone on the way, unless the connection is encrypted. */
    private void credentials(ServerConfig config) {
        if (config.credentials.isEmpty()) {
            return;
        }
        checked.add("the credentials of " + config.credentials.size() + (config.credentials.size() == 1 ? " user" : " users"));
        if (!config.bind.getAddress().isLoopbackAddress() && !servedOverTls(config)) {
            warnings.add("basic authentication on " + config.bind.getAddress().getHostAddress() + " without TLS: passwords"
                    + " cross the network readable by anyone on the way; serve it behind a TLS proxy, or --bind 127.0.0.1");
        }
    }

    /** Whether clients reach the server over TLS. */
    private static boolean servedOverTls(ServerConfig config) {
        return config.tls != null;
    }

    private void accessLog(ServerConfig config, Values values) {
        if (config.accessLog == null) {
            checked.add("the access log (off)");
            return;
        }
        if (config.accessLog.equals("-")) {
            checked.add("the access log (standard output)");
            return;
        }
        Path log;
        try {
            log = Path.of(config.accessLog).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw values.bad("--access-log", config.accessLog, "not a valid path", "a file path, - or off");
        }
        String expected = "a file in an existing directory (created if missing), - or off";
        if (Files.isDirectory(log)) {
            throw values.bad("--access-log", config.accessLog, "is a directory", expected);
        }
        Path dir = log.getParent();
        if (dir == null || !Files.exists(dir)) {
            throw values.bad("--access-log", config.accessLog, "no such directory " + dir, expected);
        }
        if (!Files.isDirectory(dir)) {
            throw values.bad("--access-log", config.accessLog, dir + " is not a directory", expected);
        }
        if (Files.exists(log)) {
            if (!Files.isRegularFile(log)) {
                throw values.bad("--access-log", config.accessLog, "not a regular file", expected);
            }
            if (!Files.isWritable(log)) {
                throw values.bad("--access-log", config.accessLog, "permission denied: amped cannot write to it", expected);
            }
            checked.add("the access log " + log + " (a writable file, appended to)");
        } else {
            if (!Files.isWritable(dir)) {
                throw values.bad("--access-log", config.accessLog, "permission denied: amped cannot create a file in "
                        + dir, expected);
            }
            checked.add("the access log " + log + " (will be created)");
        }
    }

    /** A certificate and key that would not load are refused now, not at the first handshake. */
    private void tls(ServerConfig config) {
        if (config.tls == null) {
            return;
        }
        switch (config.tls) {
            case TlsIdentity.SelfSigned s -> checked.add("HTTPS with a self-signed certificate (made at start)");
            case TlsIdentity.PemFiles f -> checked.add("the TLS certificate " + f.certificate() + " and key " + f.key()
                    + " (SHA-256 " + fingerprint(config.tls, "--tls-cert " + f.certificate() + " with --tls-key " + f.key()) + ")");
            case TlsIdentity.Keystore k -> checked.add("the TLS keystore " + k.file()
                    + " (SHA-256 " + fingerprint(config.tls, "--tls-keystore " + k.file()) + ")");
        }
    }

    private static String fingerprint(TlsIdentity identity, String given) {
        try (TlsContext tls = TlsContext.load(identity)) {
            return tls.fingerprint();
        } catch (IOException e) {
            String m = e.getMessage() == null ? "" : e.getMessage();
            int colon = m.indexOf(": ");
            throw new IllegalArgumentException(given + ": " + (colon < 0 ? Main.reason(e) : m.substring(colon + 2))
                    + "; expected " + (identity instanceof TlsIdentity.PemFiles
                    ? "a PEM certificate chain and its unencrypted private key" : "a PKCS#12 keystore and its password"));
        }
    }

    private void statusPath(ServerConfig config) {
        if (config.statusListen != null) {
            // on a listener of their own the status path hides nothing of the directory
            checked.add("the status listener " + Main.describe(config.statusListen) + " (status endpoints at "
                    + (config.statusPath == null ? "" : config.statusPath) + "/ there, none on the main port)");
            return;
        }
        if (config.statusPath == null) {
            return;
        }
        Path hidden = config.root.resolve(config.statusPath.substring(1));
        if (Files.exists(hidden, LinkOption.NOFOLLOW_LINKS)) {
            warnings.add("--status " + config.statusPath + " hides " + hidden + (Files.isDirectory(hidden) ? "/" : "")
                    + ", which can no longer be downloaded; choose a path nothing in the directory uses, such as /-/status");
            checked.add("the status path " + config.statusPath + " (hides " + hidden + ")");
        } else {
            checked.add("the status path " + config.statusPath + " (hides nothing in the directory)");
        }
    }
}
