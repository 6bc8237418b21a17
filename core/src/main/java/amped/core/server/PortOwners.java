package amped.core.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Who else listens on a port, from Linux's {@code /proc/net/tcp} and {@code /proc/net/tcp6}: SO_REUSEPORT
 * lets any process of the same user join a port, so after binding its listeners amped looks for listening
 * sockets on an overlapping address that are not its own (its own are the socket inodes under
 * {@code /proc/self/fd}). Two amped starting at once each see the other and both refuse: never a silent
 * share.
 */
final class PortOwners {

    private static final Path PROC_SELF_FD = Path.of("/proc/self/fd");
    private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));
    private static final String LISTEN = "0A";

    private PortOwners() {
    }

    /** Whether this system can tell (Linux with /proc); without it, amped shares no port. */
    static boolean available() {
        return Files.isReadable(TABLES.get(0)) && Files.isDirectory(PROC_SELF_FD);
    }

    /** Whether a socket of another process listens on {@code ours}' port at an address overlapping it. */
    static boolean othersListenOn(InetSocketAddress ours) throws IOException {
        Set<String> mine = ownSocketInodes();
        for (Path table : TABLES) {
            if (!Files.isReadable(table)) {
                continue;
            }
            List<String> lines = Files.readAllLines(table);
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 10 || !f[3].equals(LISTEN)) {
                    continue;
                }
                int colon = f[1].indexOf(':');
                if (colon < 0 || Integer.parseInt(f[1].substring(colon + 1), 16) != ours.getPort()) {
                    continue;
                }
                InetAddress address = decode(f[1].substring(0, colon));
                if (address != null && overlaps(address, ours.getAddress()) && !mine.contains(f[9])) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean overlaps(InetAddress a, InetAddress b) {
        return a.isAnyLocalAddress() || b.isAnyLocalAddress() || a.equals(b);
    }

    /** The kernel prints each 32-bit word of the address in host byte order. */
    static InetAddress decode(String hex) {
        if (hex.length() != 8 && hex.length() != 32) {
            return null;
        }
        byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            for (int w = 0; w < bytes.length; w += 4) {
                byte t = bytes[w];
                bytes[w] = bytes[w + 3];
                bytes[w + 3] = t;
                t = bytes[w + 1];
                bytes[w + 1] = bytes[w + 2];
                bytes[w + 2] = t;
            }
        }
        try {
            // an IPv4-mapped IPv6 address comes back as the IPv4 one, as Java's own dual-stack sockets report
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static Set<String> ownSocketInodes() throws IOException {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(PROC_SELF_FD)) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    continue; // closed meanwhile
                }
                if (target.startsWith("socket:[") && target.endsWith("]")) {
                    inodes.add(target.substring(8, target.length() - 1));
                }
            }
        }
        return inodes;
    }
}
