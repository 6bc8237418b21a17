package amped.cli;

import amped.core.server.AmpedServer;
import amped.core.server.ServerConfig;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The startup banner. Its first line is always {@code amped listening on URL serving DIR} (scripts and
 * tests read it); the lines after it tell where else it can be reached and how it is set up.
 */
final class Banner {

    private Banner() {
    }

    static String text(AmpedServer server, ServerConfig config) {
        InetSocketAddress bound = server.address();
        StringBuilder out = new StringBuilder();
        String scheme = server.tls() == null ? "http" : "https";
        out.append("amped listening on ").append(scheme).append(Main.url(bound).substring(4)).append(" serving ").append(server.root()).append('\n');
        if (bound.getAddress().isAnyLocalAddress()) {
            for (InetAddress a : interfaceAddresses(bound.getAddress() instanceof Inet4Address)) {
                out.append("  reachable at ").append(scheme)
                        .append(Main.url(new InetSocketAddress(a, bound.getPort())).substring(4)).append('\n');
            }
        }
        out.append("  ").append(config.dispatchers).append(config.dispatchers == 1 ? " dispatcher, " : " dispatchers, ")
                .append(config.diskThreads).append(" disk threads, ").append(Sizes.format(config.chunkSize))
                .append(" chunks, ").append(Sizes.format(config.bufferMemory)).append(" buffer memory\n");
        if (server.statusAddress() != null) {
            String base = Main.url(server.statusAddress());
            String at = base.substring(0, base.length() - 1) + server.statusPath();
            out.append("  status: ").append(at).append("/ (metrics: ").append(at).append("/metrics, health: ")
                    .append(at).append("/health; its own listener, not on the main port)\n");
        } else if (server.statusPath() != null) {
            InetSocketAddress shown = bound.getAddress().isAnyLocalAddress()
                    ? new InetSocketAddress(InetAddress.getLoopbackAddress(), bound.getPort()) : bound;
            out.append("  status: ").append(scheme).append(Main.url(shown), 4, Main.url(shown).length() - 1)
                    .append(server.statusPath()).append("/ (metrics: ").append(server.statusPath()).append("/metrics, health: ")
                    .append(server.statusPath()).append("/health)\n");
        }
        String access = access(config);
        if (!access.isEmpty()) {
            out.append("  access: ").append(access).append('\n');
        }
        if (server.tls() != null) {
            out.append("  TLS certificate SHA-256 ").append(server.tls().fingerprint())
                    .append(config.tls instanceof amped.core.tls.TlsIdentity.SelfSigned ? " (self-signed)" : "")
                    .append('\n');
        }
        if (server.redirectAddress() != null) {
            out.append("  plain HTTP on ").append(Main.url(server.redirectAddress())).append(" redirects to HTTPS\n");
        }
        out.append("  access log: ").append(config.accessLog == null ? "off"
                : config.accessLog.equals("-") ? "standard output" : config.accessLog)
                .append(config.accessLog == null ? "" : " (" + config.logFormat.name().toLowerCase(java.util.Locale.ROOT) + ")")
                .append('\n');
        return out.toString();
    }

    /** What --auth, --cors, --spa and --header set up, or "" when none is given. */
    private static String access(ServerConfig config) {
        List<String> parts = new ArrayList<>();
        int users = config.credentials.size();
        if (users > 0) {
            parts.add("basic authentication (" + users + (users == 1 ? " user)" : " users)"));
        }
        if (config.cors) {
            parts.add("CORS for any origin");
        }
        if (config.spa) {
            parts.add("single-page app (routes get /index.html)");
        }
        if (!config.headers.isEmpty()) {
            parts.add(config.headers.size() + (config.headers.size() == 1 ? " header field" : " header fields") + " added");
        }
        return String.join(", ", parts);
    }

    /** The addresses of the machine's interfaces that are up, of the family bound (0.0.0.0: IPv4 only). */
    static List<InetAddress> interfaceAddresses(boolean ipv4Only) {
        List<InetAddress> addresses = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    if ((!ipv4Only || a instanceof Inet4Address) && !a.isLinkLocalAddress()) {
                        addresses.add(a);
                    }
                }
            }
        } catch (SocketException e) {
            // the banner then lists none; the server runs regardless
        }
        return addresses;
    }
}
