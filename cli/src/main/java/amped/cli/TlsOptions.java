package amped.cli;

import amped.core.tls.TlsIdentity;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The HTTPS options (one certificate form at most) to where the certificate comes from. */
final class TlsOptions {

    /** The keystore password when no --tls-keystore-password-file is given. */
    static final String PASSWORD_VARIABLE = "AMPED_TLS_KEYSTORE_PASSWORD";

    private TlsOptions() {
    }

    /** The identity the options name, or null for plain HTTP; a contradiction is refused in the user's words. */
    static TlsIdentity identity(Options.Tls o, InetAddress bind, Values v) {
        int forms = (o.cert != null || o.key != null ? 1 : 0) + (o.keystore != null ? 1 : 0) + (o.selfSigned ? 1 : 0);
        if (forms > 1) {
            throw new IllegalArgumentException("HTTPS: more than one certificate given; expected one of --tls-cert"
                    + " with --tls-key, --tls-keystore, or --tls-self-signed");
        }
        if (o.keystorePasswordFile != null && o.keystore == null) {
            throw v.bad("--tls-keystore-password-file", o.keystorePasswordFile, "there is no --tls-keystore",
                    "--tls-keystore FILE as well");
        }
        if (o.cert != null || o.key != null) {
            if (o.key == null) {
                throw v.bad("--tls-cert", o.cert, "no --tls-key", "--tls-key FILE with the certificate's private key");
            }
            if (o.cert == null) {
                throw v.bad("--tls-key", o.key, "no --tls-cert", "--tls-cert FILE with the certificate chain");
            }
            return new TlsIdentity.PemFiles(readable("--tls-cert", o.cert, v), readable("--tls-key", o.key, v));
        }
        if (o.keystore != null) {
            return new TlsIdentity.Keystore(readable("--tls-keystore", o.keystore, v), password(o, v));
        }
        if (o.selfSigned) {
            List<String> hosts = new ArrayList<>();
            if (!bind.isAnyLocalAddress()) {
                hosts.add(bind.getHostAddress());
            } else {
                for (InetAddress a : Banner.interfaceAddresses(false)) {
                    hosts.add(a.getHostAddress());
                }
            }
            return new TlsIdentity.SelfSigned(hosts);
        }
        return null;
    }

    /** --redirect-http's port, or -1 when not given. */
    static int redirectPort(Options.Tls o, TlsIdentity tls, int httpsPort, Values v) {
        if (o.redirectHttp == null) {
            return -1;
        }
        int port = v.integer("--redirect-http", o.redirectHttp, 0, 65535, "a TCP port from 0 to 65535 (0 picks a free one)");
        requireTls("--redirect-http", o.redirectHttp, tls, v);
        if (port > 0 && port == httpsPort) {
            throw v.bad("--redirect-http", o.redirectHttp, "the HTTPS port (--port " + httpsPort + ")",
                    "a port of its own such as 8080");
        }
        return port;
    }

    /** --hsts's max-age, or null when not given. */
    static java.time.Duration hsts(Options.Tls o, TlsIdentity tls, Values v) {
        if (o.hsts == null) {
            return null;
        }
        java.time.Duration maxAge = v.duration("--hsts", o.hsts, true);
        requireTls("--hsts", o.hsts, tls, v);
        return maxAge;
    }

    private static void requireTls(String option, String value, TlsIdentity tls, Values v) {
        if (tls == null) {
            throw v.bad(option, value, "amped serves plain HTTP",
                    "HTTPS as well: --tls-cert with --tls-key, --tls-keystore or --tls-self-signed");
        }
    }

    private static String password(Options.Tls o, Values v) {
        if (o.keystorePasswordFile == null) {
            return v.environment(PASSWORD_VARIABLE);
        }
        Path file = readable("--tls-keystore-password-file", o.keystorePasswordFile, v);
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int end = text.indexOf('\n');
            String line = end < 0 ? text : text.substring(0, end);
            return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        } catch (IOException e) {
            throw v.bad("--tls-keystore-password-file", o.keystorePasswordFile, Main.reason(e), "a readable file");
        }
    }

    private static Path readable(String option, String value, Values v) {
        Path p;
        try {
            p = Path.of(value);
        } catch (java.nio.file.InvalidPathException e) {
            throw v.bad(option, value, "not a valid path", "a readable file");
        }
        if (!Files.exists(p)) {
            throw v.bad(option, value, "no such file", "a readable file");
        }
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw v.bad(option, value, Files.isDirectory(p) ? "a directory" : "cannot be read", "a readable file");
        }
        return p;
    }
}
