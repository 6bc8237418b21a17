package amped.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Held at once against one server process: 500 slowloris connections, 200 clients reading a large file a
 * byte at a time, and 50 normal downloads. The normal downloads all succeed, and the server's resident
 * memory stays under {@link #RSS_BOUND_MIB}.
 */
@Timeout(90)
class LoadIT {

    /**
     * The bound on the server's peak resident set (VmHWM) with the JVM's default flags: the JVM itself
     * (~60 MiB), at most 64 MiB of send buffers (--buffer-memory), and a few KiB per connection. Measured:
     * about 120 MiB on a 2-core, 24 GiB machine.
     */
    static final long RSS_BOUND_MIB = 200;

    @TempDir
    Path root;

    @Test
    void normalClientsSucceedAmidSlowlorisAndSlowReadersWithinTheMemoryBound() throws Exception {
        TestFiles.write(root.resolve("large.bin"), 256L * 1024 * 1024, 41);
        String tenSha = TestFiles.write(root.resolve("ten.bin"), 10L * 1024 * 1024, 42);
        List<Socket> sockets = new ArrayList<>();
        ScheduledExecutorService trickle = Executors.newScheduledThreadPool(2);
        AtomicLong peakRss = new AtomicLong();
        try (AmpedProcess amped = AmpedProcess.start(
                AmpedProcess.javaCommand(List.of(), root.toString(), "--port", "0"),
                root.resolveSibling("load.stderr"))) {
            List<Socket> slowloris = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                Socket s = new Socket(InetAddress.getLoopbackAddress(), amped.port);
                s.getOutputStream().write("GET /ten.bin HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
                slowloris.add(s);
            }
            List<Socket> slowReaders = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                Socket s = new Socket();
                s.setReceiveBufferSize(8 * 1024);
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), amped.port));
                s.setSoTimeout(1);
                s.getOutputStream().write("GET /large.bin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                slowReaders.add(s);
            }
            sockets.addAll(slowloris);
            sockets.addAll(slowReaders);
            trickle.scheduleAtFixedRate(() -> {
                for (Socket s : slowloris) {
                    try {
                        s.getOutputStream().write('a');
                    } catch (IOException closed) {
                        // the server may close a slowloris: that is its right
                    }
                }
            }, 500, 500, TimeUnit.MILLISECONDS);
            trickle.scheduleAtFixedRate(() -> {
                for (Socket s : slowReaders) {
                    try {
                        s.getInputStream().read();
                    } catch (IOException nothingYet) {
                        // a 1 ms timeout: nothing to read right now
                    }
                }
            }, 100, 200, TimeUnit.MILLISECONDS);
            trickle.scheduleAtFixedRate(() -> {
                try {
                    peakRss.accumulateAndGet(amped.statusKib("VmRSS"), Math::max);
                } catch (IOException gone) {
                    // the process ended
                }
            }, 0, 100, TimeUnit.MILLISECONDS);

            HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
                    .connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1).build();
            for (String sha : Downloads.concurrently(http, amped.base.resolve("ten.bin"), 50, Duration.ofSeconds(60))) {
                assertEquals(tenSha, sha);
            }
            long hwm = amped.statusKib("VmHWM") / 1024;
            System.out.printf("load test: server peak RSS %d MiB (sampled max %d MiB), bound %d MiB%n",
                    hwm, peakRss.get() / 1024, RSS_BOUND_MIB);
            assertTrue(hwm < RSS_BOUND_MIB, "peak RSS " + hwm + " MiB");
            assertEquals(0, amped.terminate(30), amped.stderr());
        } finally {
            trickle.shutdownNow();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
