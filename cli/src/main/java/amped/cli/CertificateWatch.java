package amped.cli;

import amped.core.server.AmpedServer;
import amped.core.tls.TlsIdentity;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Certificate reload without a signal (SIGHUP ignored, as under nohup): once a second the certificate and
 * key files are looked at (through links, as certbot's live/ directory is), and a change reloads them.
 * A certificate written before its key fails to load once, and loads at the next look.
 */
final class CertificateWatch {

    private CertificateWatch() {
    }

    /** A renewed certificate (SIGHUP, or its files changed): a pair that does not load is refused and the old one stays. */
    static void reload(AmpedServer server, PrintStream err) {
        try {
            server.reloadTls();
        } catch (IOException e) {
            err.println("amped: kept the TLS certificate in use: " + Main.reason(e));
        }
    }

    /** Files whose change reloads the certificate; none for a self-signed one. */
    static List<Path> files(TlsIdentity identity) {
        return switch (identity) {
            case null -> List.of();
            case TlsIdentity.PemFiles f -> List.of(f.certificate(), f.key());
            case TlsIdentity.Keystore k -> List.of(k.file());
            case TlsIdentity.SelfSigned s -> List.of();
        };
    }

    static void start(AmpedServer server, List<Path> files, PrintStream err) {
        ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "amped-certificate-watch");
            t.setDaemon(true);
            return t;
        });
        List<String> seen = new ArrayList<>(List.of(stamp(files)));
        watch.scheduleWithFixedDelay(() -> {
            String now = stamp(files);
            if (!now.equals(seen.getFirst())) {
                seen.set(0, now);
                reload(server, err);
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    /** Modification times and sizes of the files, through links. */
    private static String stamp(List<Path> files) {
        StringBuilder s = new StringBuilder();
        for (Path f : files) {
            try {
                s.append(Files.getLastModifiedTime(f).toMillis()).append('/').append(Files.size(f)).append(' ');
            } catch (IOException e) {
                s.append("missing ");
            }
        }
        return s.toString();
    }
}
