package amped.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM: stop accepting, close idle connections at once, let downloads finish, exit 0. */
@Timeout(120)
class GracefulShutdownIT {

    private static final long SIZE = 48L * 1024 * 1024;

    @TempDir
    Path root;

    private Socket download(int port) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(32 * 1024);
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        s.setSoTimeout(20_000);
        s.getOutputStream().write("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return s;
    }


    private static boolean refuses(int port) {
        try (Socket accepted = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return !accepted.isConnected();
        } catch (ConnectException refused) {
            return true;
        } catch (IOException other) {
            return false;
        }
    }

    @Test
    void aDownloadInFlightFinishesWhileIdleConnectionsCloseAndNewOnesAreRefused() throws Exception {
        String sha = TestFiles.write(root.resolve("big.bin"), SIZE, 21);
        Files.writeString(root.resolve("small.txt"), "small");
        try (AmpedProcess amped = AmpedProcess.start(
                AmpedProcess.javaCommand(List.of(), root.toString(), "--port", "0", "--shutdown-timeout", "60s"),
                root.resolveSibling("graceful.stderr"));
             RawHttp idle = new RawHttp(amped.port);
             Socket downloading = download(amped.port)) {
            idle.send("GET /small.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("small", idle.read().bodyText());

            InputStream in = downloading.getInputStream();
            RawHttp.skipHead(in);
            MessageDigest digest = TestFiles.sha256();
            byte[] first = in.readNBytes(2 * 1024 * 1024);
            digest.update(first);

            amped.process.destroy(); // SIGTERM, without waiting

            assertTrue(idle.closedByServer(), "an idle keep-alive connection closes at once");
            await().atMost(Duration.ofSeconds(10)).until(() -> refuses(amped.port));

            byte[] buf = new byte[1 << 20];
            long total = first.length;
            while (total < SIZE) {
                int n = in.read(buf);
                assertTrue(n > 0, "the download was cut at " + total);
                digest.update(buf, 0, n);
                total += n;
            }
            assertEquals(sha, HexFormat.of().formatHex(digest.digest()));
            assertTrue(amped.process.waitFor(20, TimeUnit.SECONDS), "stops once the download is done");
            assertEquals(0, amped.process.exitValue(), amped.stderr());
        }
    }

    @Test
    void aDownloadThatOutlastsTheShutdownTimeoutIsCutAndTheServerStillExitsZero() throws Exception {
        TestFiles.write(root.resolve("big.bin"), SIZE, 22);
        try (AmpedProcess amped = AmpedProcess.start(
                AmpedProcess.javaCommand(List.of(), root.toString(), "--port", "0", "--shutdown-timeout", "1s"),
                root.resolveSibling("cut.stderr"));
             Socket stalled = download(amped.port)) {
            RawHttp.skipHead(stalled.getInputStream());
            long start = System.nanoTime();
            assertEquals(0, amped.terminate(20), amped.stderr());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
            // what was in flight ends: the client sees the end of the stream, not a hang
            byte[] rest = stalled.getInputStream().readAllBytes();
            assertTrue(rest.length < SIZE);
        } catch (java.net.SocketException reset) {
            // a reset is an end as good as any
        }
    }

    @Test
    void ctrlCStopsWithExitCodeZeroToo() throws Exception {
        Files.writeString(root.resolve("a.txt"), "a");
        try (AmpedProcess amped = AmpedProcess.start(AmpedProcess.javaCommand(List.of(), root.toString(), "--port", "0"),
                root.resolveSibling("int.stderr"))) {
            try (RawHttp c = new RawHttp(amped.port)) {
                c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n");
                assertArrayEquals("a".getBytes(StandardCharsets.US_ASCII), c.read().body());
            }
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(amped.pid())).start();
            assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
            assertTrue(amped.process.waitFor(20, TimeUnit.SECONDS));
            assertEquals(0, amped.process.exitValue(), amped.stderr());
        }
    }
}
