package amped.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Files that change under a download, and clients that vanish: never a wrong byte, a hang or a leak. Run
 * twice: with the file cache, which keeps this file mapped and sends it from the mapping, and without it,
 * which reads each chunk through a disk helper into a pooled buffer.
 */
@Timeout(180)
@ParameterizedClass(name = "sending from {0}")
@ValueSource(strings = {"the mapping", "disk reads"})
class FaultsIT {

    @Parameter
    String sending;

    private static final int SIZE = 32 * 1024 * 1024;

    @TempDir
    Path root;
    Path file;
    byte[] content;
    TestServer server;

    @RegisterExtension
    final AmpedServerExtension servers = AmpedServerExtension.withoutHoldCheck();

    @BeforeEach
    void start() throws IOException {
        file = root.resolve("data.bin");
        content = TestFiles.bytes(11, SIZE);
        Files.write(file, content);
        server = servers.start(root, b -> {
            if (sending.equals("disk reads")) {
                b.cacheSize(0);
            }
        });
    }

    private Socket requestSlowly(String path) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(16 * 1024);
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
        s.setSoTimeout(15_000);
        s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return s;
    }


    @Test
    void aFileTruncatedWhileBeingSentEndsTheConnectionWithAShortBodyAndNoPadding() throws Exception {
        try (Socket s = requestSlowly("/data.bin")) {
            InputStream in = s.getInputStream();
            RawHttp.skipHead(in);
            byte[] first = in.readNBytes(1024 * 1024);
            assertArrayEquals(Arrays.copyOf(content, first.length), first);
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(4 * 1024 * 1024);
            }
            ByteArrayOutputStream rest = new ByteArrayOutputStream();
            in.transferTo(rest); // must end: the server closes rather than hang or pad
            int received = first.length + rest.size();
            assertTrue(received < SIZE, "a truncated file cannot deliver the promised length");
            byte[] all = new byte[received];
            System.arraycopy(first, 0, all, 0, first.length);
            System.arraycopy(rest.toByteArray(), 0, all, first.length, rest.size());
            // every byte received is a byte of the file as it was: nothing invented
            assertArrayEquals(Arrays.copyOf(content, received), all);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().truncated() == 1);
        server.awaitNothingHeld();
    }

    @Test
    void aFileDeletedWhileBeingSentIsFinishedFromTheOpenHandle() throws Exception {
        try (Socket s = requestSlowly("/data.bin")) {
            InputStream in = s.getInputStream();
            RawHttp.skipHead(in);
            byte[] first = in.readNBytes(1024 * 1024);
            Files.delete(file);
            byte[] rest = in.readNBytes(SIZE - first.length);
            assertEquals(SIZE - first.length, rest.length);
            assertArrayEquals(Arrays.copyOfRange(content, first.length, SIZE), rest);
        }
        server.awaitNothingHeld();
        // once the server knows it is gone (the file cache revalidates at most once a second), nothing of
        // it is held: no descriptor, no mapping, so its blocks are freed
        await().atMost(Duration.ofSeconds(5)).until(() -> server.http.send(
                java.net.http.HttpRequest.newBuilder(server.uri("/data.bin")).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 404);
        await().atMost(Duration.ofSeconds(5)).until(() -> Descriptors.ofDeleted("data.bin") == 0);
        await().atMost(Duration.ofSeconds(5)).until(() -> MappedSendingIT.deletedMappingsOf(file) == 0);
    }

    @Test
    void aThousandDownloadsAbortedAtRandomPointsLeaveDescriptorsAndBuffersAtBaseline() throws Exception {
        // warm up, then take the baseline with nothing in flight
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("GET /data.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertEquals(SIZE, c.read().body().length);
        }
        server.awaitNothingHeld();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().openConnections() == 0);
        long baseline = Descriptors.count();

        Downloads.onThreads(16, 1000, seed -> {
            SplittableRandom random = new SplittableRandom(seed);
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                s.setSoTimeout(15_000);
                String range = random.nextInt(4) == 0 ? "Range: bytes=" + random.nextInt(SIZE / 2) + "-\r\n" : "";
                s.getOutputStream().write(("GET /data.bin HTTP/1.1\r\nHost: x\r\n" + range + "\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                int abortAt = random.nextInt(4) == 0 ? 0 : random.nextInt(2 * 1024 * 1024);
                s.getInputStream().readNBytes(abortAt);
                if (random.nextBoolean()) {
                    s.setSoLinger(true, 0); // a reset, as from a killed client
                }
            }
        }, Duration.ofSeconds(60));
        server.awaitNothingHeld();
        await().atMost(Duration.ofSeconds(20)).until(() -> server.stats().openConnections() == 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> Descriptors.count() <= baseline);
        assertEquals(0, Descriptors.of(file));
    }
}
