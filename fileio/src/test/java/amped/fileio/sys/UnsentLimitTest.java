package amped.fileio.sys;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class UnsentLimitTest {

    @Test
    void aSocketWhoseClientStopsReadingTakesFarLessWithTheLimitThanWithout() throws Exception {
        assumeTrue(SendFile.AVAILABLE, "native calls and channel descriptors are not available here");
        long without = takenBeforeFull(-1);
        long with = takenBeforeFull(64 * 1024);
        assertTrue(with < without / 2, "with the limit " + with + " bytes, without " + without);
        assertTrue(with < 512 * 1024, "with the limit " + with + " bytes");
    }

    @Test
    void aMissingDescriptorIsRefused() {
        assertFalse(UnsentLimit.set(-1, 64 * 1024));
    }

    /** Bytes the kernel takes for a client that never reads, until a write stays pending; limit -1: none. */
    private static long takenBeforeFull(int limit) throws Exception {
        try (AsynchronousServerSocketChannel server = AsynchronousServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             SocketChannel client = SocketChannel.open()) {
            client.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
            Future<AsynchronousSocketChannel> accepted = server.accept();
            client.connect(server.getLocalAddress());
            try (AsynchronousSocketChannel socket = accepted.get(10, TimeUnit.SECONDS)) {
                if (limit >= 0) {
                    assertTrue(UnsentLimit.set(ChannelDescriptors.of(socket), limit));
                }
                long taken = 0;
                ByteBuffer chunk = ByteBuffer.allocate(16 * 1024);
                while (taken < 64L * 1024 * 1024) {
                    chunk.clear();
                    Future<Integer> write = socket.write(chunk);
                    try {
                        taken += write.get(500, TimeUnit.MILLISECONDS);
                    } catch (TimeoutException full) {
                        return taken;
                    }
                }
                return taken;
            }
        }
    }
}
