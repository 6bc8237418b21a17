package amped.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Reading /proc/net/tcp{,6}: addresses as the kernel prints them, and this process's own listeners. */
@Timeout(10)
class PortOwnersTest {

    @Test
    void decodesAddressesAsTheKernelPrintsThem() throws Exception {
        assertEquals(InetAddress.getByName("127.0.0.1"), PortOwners.decode("0100007F"));
        assertEquals(InetAddress.getByName("0.0.0.0"), PortOwners.decode("00000000"));
        // IPv4-mapped, as Java's dual-stack sockets appear in tcp6
        assertEquals(InetAddress.getByName("127.0.0.1"), PortOwners.decode("0000000000000000FFFF00000100007F"));
        assertEquals(InetAddress.getByName("::1"), PortOwners.decode("00000000000000000000000001000000"));
        assertEquals(InetAddress.getByName("::"), PortOwners.decode("00000000000000000000000000000000"));
    }

    @Test
    void ourOwnListenersSharingAPortAreNotOthers() throws Exception {
        assumeTrue(PortOwners.available(), "Linux /proc");
        try (ServerSocketChannel a = ServerSocketChannel.open(); ServerSocketChannel b = ServerSocketChannel.open()) {
            a.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            b.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            a.bind(new InetSocketAddress("127.0.0.1", 0));
            b.bind(a.getLocalAddress());
            assertFalse(PortOwners.othersListenOn((InetSocketAddress) a.getLocalAddress()));
        }
    }
}
