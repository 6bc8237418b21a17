package amped.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server runs out of file descriptors (a low ulimit and many idle clients): accepting fails, is
 * logged once and retried with back-off, the download already running goes on, and once descriptors free
 * up the server accepts and serves again.
 */
@Timeout(120)
class DescriptorExhaustionIT {

    @TempDir
    Path root;

    @Test
    void acceptBacksOffAndResumesWhileExistingDownloadsContinue() throws Exception {
        long size = 32L * 1024 * 1024;
        String sha = TestFiles.write(root.resolve("big.bin"), size, 31);
        TestFiles.write(root.resolve("small.bin"), 1000, 32);
        String java = String.join(" ", AmpedProcess.javaCommand(List.of("-Xmx64m"),
                root.toString(), "--port", "0", "--header-timeout", "60s"));
        List<String> command = List.of("bash", "-c", "ulimit -n 200 && exec " + java);
        List<Socket> hogs = new ArrayList<>();
        try (AmpedProcess amped = AmpedProcess.start(command, root.resolveSibling("fds.stderr"));
             Socket download = new Socket()) {
            download.setReceiveBufferSize(32 * 1024);
            download.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), amped.port));
            download.setSoTimeout(20_000);
            download.getOutputStream().write("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = download.getInputStream();
            RawHttp.skipHead(in);
            MessageDigest digest = TestFiles.sha256();
            byte[] buf = new byte[64 * 1024];
            long total = readSome(in, digest, buf, 1024 * 1024);

            // far more idle connections than the server has descriptors left
            for (int i = 0; i < 300; i++) {
                hogs.add(new Socket(InetAddress.getLoopbackAddress(), amped.port));
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> amped.stderr().contains("accept failed"));

            // the running download is not disturbed
            total += readSome(in, digest, buf, size - total);
            assertEquals(size, total);
            assertEquals(sha, HexFormat.of().formatHex(digest.digest()));

            for (Socket hog : hogs) {
                hog.close();
            }
            hogs.clear();
            await().atMost(Duration.ofSeconds(20)).until(() -> amped.stderr().contains("accepting connections again"));
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
                try (RawHttp c = new RawHttp(amped.port)) {
                    c.send("GET /small.bin HTTP/1.1\r\nHost: x\r\n\r\n");
                    return c.read().body().length == 1000;
                }
            });
            String log = amped.stderr();
            assertEquals(1, log.lines().filter(l -> l.contains("accept failed")).count(),
                    "the failure is logged once, not per retry:\n" + log);
            assertEquals(0, amped.terminate(20));
        } finally {
            for (Socket hog : hogs) {
                hog.close();
            }
        }
    }

    private static long readSome(InputStream in, MessageDigest digest, byte[] buf, long bytes) throws IOException {
        long total = 0;
        while (total < bytes) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, bytes - total));
            assertTrue(n > 0, "download cut at " + total);
            digest.update(buf, 0, n);
            total += n;
        }
        return total;
    }

}
