package amped.fileio.sys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A head queued with MSG_MORE and the file after it by sendfile, on a socket of the JDK's. */
@Timeout(60)
class SendMoreTest {

    @TempDir
    Path dir;

    @Test
    void aHeadHeldForTheBodyArrivesWithItByteForByte() throws Exception {
        assumeTrue(SendFile.AVAILABLE && SendFile.canSendMore(), "native calls are not available here");
        byte[] body = new byte[300_000];
        new Random(3).nextBytes(body);
        Path file = Files.write(dir.resolve("body.bin"), body);
        byte[] head = "HTTP/1.1 200 OK\r\nContent-Length: 300000\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        try (Pair pair = new Pair(); FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            byte[] framed = new byte[head.length + 8];
            System.arraycopy(head, 0, framed, 4, head.length);
            assertEquals(head.length, SendFile.sendMore(pair.fd, framed, 4, head.length));
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            long offset = 0;
            InputStream in = pair.client.getInputStream();
            byte[] buffer = new byte[65536];
            while (offset < body.length) {
                long n = SendFile.send(pair.fd, ChannelDescriptors.of(channel), offset, body.length - offset);
                if (n > 0) {
                    offset += n;
                }
                // read what is there (a full socket empties; the loop is bounded by the body's length)
                int r = in.read(buffer);
                received.write(buffer, 0, r);
            }
            while (received.size() < head.length + body.length) {
                int r = in.read(buffer);
                assertTrue(r > 0, "the connection ended early");
                received.write(buffer, 0, r);
            }
            byte[] expected = new byte[head.length + body.length];
            System.arraycopy(head, 0, expected, 0, head.length);
            System.arraycopy(body, 0, expected, head.length, body.length);
            assertArrayEquals(expected, received.toByteArray());
        }
    }

    @Test
    void aFullSocketTakesNothingAndSaysSo() throws Exception {
        assumeTrue(SendFile.AVAILABLE && SendFile.canSendMore(), "native calls are not available here");
        try (Pair pair = new Pair()) {
            byte[] chunk = new byte[64 * 1024];
            long taken = 0;
            long n;
            while ((n = SendFile.sendMore(pair.fd, chunk, 0, chunk.length)) != SendFile.SOCKET_FULL) {
                taken += n;
                assertTrue(taken < 256L * 1024 * 1024, "the socket never filled");
            }
            assertTrue(taken > 0);
        }
    }

    @Test
    void aClientThatIsGoneIsAnErrnoNotASignal() throws Exception {
        assumeTrue(SendFile.AVAILABLE && SendFile.canSendMore(), "native calls are not available here");
        try (Pair pair = new Pair()) {
            pair.client.setSoLinger(true, 0);
            pair.client.close(); // a reset
            byte[] bytes = new byte[1024];
            ErrnoException e = assertThrows(ErrnoException.class, () -> {
                for (int i = 0; i < 1000; i++) {
                    SendFile.sendMore(pair.fd, bytes, 0, bytes.length);
                }
            });
            assertTrue(e.isPeerGone(), "errno " + e.errno());
        }
    }

    /** A server-side socket of the JDK's (its descriptor) and a plain client. */
    private static final class Pair implements AutoCloseable {
        final AsynchronousServerSocketChannel listener = AsynchronousServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        final Socket client = new Socket();
        final AsynchronousSocketChannel socket;
        final int fd;

        Pair() throws Exception {
            client.setReceiveBufferSize(16 * 1024);
            Future<AsynchronousSocketChannel> accepted = listener.accept();
            client.connect(listener.getLocalAddress(), 10_000);
            socket = accepted.get(10, TimeUnit.SECONDS);
            socket.setOption(StandardSocketOptions.SO_SNDBUF, 64 * 1024);
            fd = ChannelDescriptors.of(socket);
        }

        @Override
        public void close() throws java.io.IOException {
            client.close();
            socket.close();
            listener.close();
        }
    }
}
