package amped.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tree changing under the server in the ways issue 10 found hurtful: a FIFO swapped in for a file
 * (defect 3: it pinned every disk helper in {@code open()}), and a same-size edit that sets the old
 * modification time back (defect 4: {@code touch -r}, {@code cp -p} onto a file, {@code rsync --inplace -t}).
 */
@Timeout(60)
class ChangingTreeIT {

    private static final String REGULAR = "a regular file";
    private static final Duration SWAPPING = Duration.ofSeconds(3);

    @TempDir
    Path root;

    @RegisterExtension
    final AmpedServerExtension servers = new AmpedServerExtension();

    private static HttpResponse<byte[]> get(TestServer server, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(10)).build();
        return server.http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aFifoSwappedInForAFileIs404WithoutHangingAndServingGoesOn() throws Exception {
        Path file = root.resolve("f.txt");
        Files.writeString(file, REGULAR);
        Files.writeString(root.resolve("other.txt"), "still served");
        Path fifo = root.resolve(".fifo");
        Path parked = root.resolve(".regular");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
        assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo");
        // no cache: every request resolves and opens f.txt itself; two helpers, few enough to pin them all
        TestServer server = servers.start(root, b -> b.cacheSize(0).diskThreads(2).statusPath("/-/status"));

        // f.txt swapped between the file and the FIFO while it is requested, so that a request may find
        // the file when it checks and the FIFO when it opens
        long deadline = System.nanoTime() + SWAPPING.toNanos();
        ExecutorService threads = Executors.newFixedThreadPool(3);
        Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        try {
            Future<?> swapper = threads.submit(() -> {
                while (System.nanoTime() < deadline) {
                    Files.move(file, parked, StandardCopyOption.ATOMIC_MOVE);
                    Files.move(fifo, file, StandardCopyOption.ATOMIC_MOVE);
                    Files.move(file, fifo, StandardCopyOption.ATOMIC_MOVE);
                    Files.move(parked, file, StandardCopyOption.ATOMIC_MOVE);
                }
                return null;
            });
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                clients.add(threads.submit(() -> {
                    while (System.nanoTime() < deadline) {
                        // a request that hangs fails here, by its timeout
                        HttpResponse<byte[]> r = get(server, "/f.txt");
                        statuses.computeIfAbsent(r.statusCode(), k -> new AtomicLong()).incrementAndGet();
                        if (r.statusCode() == 200) {
                            assertEquals(REGULAR, new String(r.body(), StandardCharsets.UTF_8));
                        } else {
                            assertEquals(404, r.statusCode());
                        }
                    }
                    return null;
                }));
            }
            swapper.get(SWAPPING.toSeconds() + 20, TimeUnit.SECONDS);
            for (Future<?> c : clients) {
                c.get(SWAPPING.toSeconds() + 20, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
            assertTrue(threads.awaitTermination(20, TimeUnit.SECONDS));
        }
        assertTrue(statuses.containsKey(404) && statuses.containsKey(200), "both were met: " + statuses);

        // the FIFO in place: 404 at once, each on its own connection, more of them than helpers
        Files.move(fifo, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        List<CompletableFuture<HttpResponse<byte[]>>> many = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            many.add(server.http.sendAsync(HttpRequest.newBuilder(server.uri("/f.txt")).build(),
                    HttpResponse.BodyHandlers.ofByteArray()));
        }
        for (CompletableFuture<HttpResponse<byte[]>> r : many) {
            assertEquals(404, r.get(5, TimeUnit.SECONDS).statusCode(), "answered without hanging");
        }
        long start = System.nanoTime();
        HttpResponse<byte[]> other = get(server, "/other.txt");
        assertEquals(200, other.statusCode());
        assertEquals("still served", new String(other.body(), StandardCharsets.UTF_8));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "served at once");
        assertEquals(200, get(server, "/-/status/health").statusCode());
    }

    @Test
    void aSameSizeEditThatRestoresTheModificationTimeIsServedWithinTheRevalidation() throws Exception {
        // one file served from memory, one from a mapping: both caches must see the edit
        byte[] smallV1 = TestFiles.bytes(1, 3_000);
        byte[] smallV2 = TestFiles.bytes(2, 3_000);
        byte[] mappedV1 = TestFiles.bytes(3, 1024 * 1024);
        byte[] mappedV2 = TestFiles.bytes(4, 1024 * 1024);
        Path small = Files.write(root.resolve("small.bin"), smallV1);
        Path mapped = Files.write(root.resolve("mapped.bin"), mappedV1);
        TestServer server = servers.start(root, b -> b.cacheSize(16L * 1024 * 1024).dispatchers(1));
        String smallTag = served(server, "/small.bin", smallV1);
        String mappedTag = served(server, "/mapped.bin", mappedV1);

        editInPlaceKeepingTheModificationTime(small, smallV2);
        editInPlaceKeepingTheModificationTime(mapped, mappedV2);

        await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
            // the ETag is the modification time and size (as nginx's): both are as they were, so is it
            assertEquals(smallTag, served(server, "/small.bin", smallV2));
            assertEquals(mappedTag, served(server, "/mapped.bin", mappedV2));
        });

        // and a change the modification time shows gives a new tag
        Files.setLastModifiedTime(small, FileTime.fromMillis(Files.getLastModifiedTime(small).toMillis() + 5_000));
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() ->
                assertNotEquals(smallTag, served(server, "/small.bin", smallV2)));
    }

    /** Asserts a 200 with exactly {@code bytes}, returns its ETag. */
    private static String served(TestServer server, String path, byte[] bytes) throws Exception {
        HttpResponse<byte[]> r = get(server, path);
        assertEquals(200, r.statusCode(), path);
        assertArrayEquals(bytes, r.body(), path);
        return r.headers().firstValue("ETag").orElseThrow();
    }

    /** What {@code rsync --inplace -t} does: new bytes into the same inode, then the old mtime set back. */
    private static void editInPlaceKeepingTheModificationTime(Path file, byte[] bytes) throws Exception {
        FileTime before = Files.getLastModifiedTime(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }
        Files.setLastModifiedTime(file, before);
        assertEquals(before, Files.getLastModifiedTime(file));
    }
}
