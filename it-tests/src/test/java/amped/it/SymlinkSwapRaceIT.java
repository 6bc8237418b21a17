package amped.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 defect 1, over HTTP: a user who can write inside the root swaps a directory {@code d} for a
 * symbolic link {@code d -> outside} in a tight rename loop while {@code /d/<file>} is requested. No
 * response ever carries the outside file, whichever way the file is served (from memory, from a mapping,
 * streamed from disk), and once the tree is put back the inside file is served with its own ETag.
 */
@Timeout(90)
class SymlinkSwapRaceIT {

    private static final Duration RACE = Duration.ofSeconds(5);
    private static final long HOLD_NANOS = 100_000;
    /** 8 MiB of cache with one dispatcher: files up to 64 KiB in memory, up to 4 MiB mapped, larger streamed. */
    private static final long CACHE = 8L * 1024 * 1024;
    private static final Map<String, Integer> FILES = new TreeMap<>(Map.of(
            "small.txt", 2_000, // in memory
            "mapped.bin", 2 * 1024 * 1024, // mapped
            "big.bin", 10 * 1024 * 1024)); // larger than the cache: streamed by the disk helpers

    @TempDir
    Path root;
    @TempDir
    Path outside;

    @RegisterExtension
    final AmpedServerExtension servers = new AmpedServerExtension();

    @Test
    void aDirectorySwappedForALinkOutsideNeverServesTheOutsideFile() throws Exception {
        Path d = Files.createDirectory(root.resolve("d"));
        Map<String, String> insideSums = new TreeMap<>();
        Map<String, String> outsideSums = new TreeMap<>();
        long seed = 1;
        for (Map.Entry<String, Integer> f : FILES.entrySet()) {
            insideSums.put(f.getKey(), TestFiles.write(d.resolve(f.getKey()), f.getValue(), seed++));
            outsideSums.put(f.getKey(), TestFiles.write(outside.resolve(f.getKey()), f.getValue(), seed++));
        }
        TestServer server = servers.start(root, b -> b.cacheSize(CACHE).cacheMaxFile(64 * 1024).dispatchers(1));
        Map<String, String> etags = new TreeMap<>();
        for (String name : FILES.keySet()) {
            HttpResponse<byte[]> r = get(server, name);
            assertEquals(200, r.statusCode(), name);
            assertEquals(insideSums.get(name), TestFiles.sha256(r.body()), name);
            etags.put(name, r.headers().firstValue("ETag").orElseThrow());
        }

        // hidden names: never served themselves
        Path parked = root.resolve(".d-real");
        Path link = root.resolve(".d-link");
        Files.createSymbolicLink(link, outside);
        Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
        List<String> wrong = Collections.synchronizedList(new ArrayList<>());
        long deadline = System.nanoTime() + RACE.toNanos();
        // on a loaded machine a file may straddle swaps for the whole race: it goes on (at most 15 s more)
        // until each file was served whole at least once, so that every route was raced
        long hardDeadline = deadline + TimeUnit.SECONDS.toNanos(15);
        java.util.function.BooleanSupplier racing = () -> {
            long now = System.nanoTime();
            return now < deadline || (now < hardDeadline
                    && !FILES.keySet().stream().allMatch(n -> counts.containsKey(n + " 200")));
        };
        ExecutorService threads = Executors.newFixedThreadPool(1 + FILES.size());
        try {
            Future<Long> swapper = threads.submit(() -> {
                long swaps = 0;
                while (racing.getAsBoolean()) {
                    // d: a directory, then a link to outside, then the directory again (rename(2) each time)
                    Files.move(d, parked, StandardCopyOption.ATOMIC_MOVE);
                    Files.move(link, d, StandardCopyOption.ATOMIC_MOVE);
                    hold();
                    Files.move(d, link, StandardCopyOption.ATOMIC_MOVE);
                    Files.move(parked, d, StandardCopyOption.ATOMIC_MOVE);
                    hold();
                    swaps++;
                }
                return swaps;
            });
            List<Future<?>> clients = new ArrayList<>();
            for (String name : FILES.keySet()) {
                clients.add(threads.submit(() -> {
                    while (racing.getAsBoolean()) {
                        HttpResponse<byte[]> r = get(server, name);
                        counts.computeIfAbsent(name + " " + r.statusCode(), k -> new AtomicLong()).incrementAndGet();
                        if (r.statusCode() == 200) {
                            String sum = TestFiles.sha256(r.body());
                            if (sum.equals(outsideSums.get(name))) {
                                wrong.add(name + ": the outside file");
                            } else if (!sum.equals(insideSums.get(name))) {
                                wrong.add(name + ": neither file (" + r.body().length + " bytes)");
                            }
                        } else if (r.statusCode() != 404) {
                            wrong.add(name + ": status " + r.statusCode());
                        }
                    }
                    return null;
                }));
            }
            long swaps = swapper.get(RACE.toSeconds() + 45, TimeUnit.SECONDS);
            for (Future<?> c : clients) {
                c.get(30, TimeUnit.SECONDS);
            }
            assertTrue(swaps > 100, "the tree was swapped often: " + swaps);
            counts.put("swaps", new AtomicLong(swaps));
        } finally {
            threads.shutdownNow();
            assertTrue(threads.awaitTermination(30, TimeUnit.SECONDS));
        }
        assertTrue(Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS), "the tree is put back");
        assertEquals(List.of(), wrong.subList(0, Math.min(wrong.size(), 20)), wrong.size() + " wrong responses; counts " + counts);
        for (String name : FILES.keySet()) {
            assertTrue(counts.containsKey(name + " 200"), "some of " + name + " was served meanwhile: " + counts);
        }

        // the tree put back: the inside files, under their own ETags, within the revalidation
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            for (String name : FILES.keySet()) {
                HttpResponse<byte[]> r = get(server, name);
                assertEquals(200, r.statusCode(), name);
                assertEquals(insideSums.get(name), TestFiles.sha256(r.body()), name);
                assertEquals(etags.get(name), r.headers().firstValue("ETag").orElseThrow(), name);
            }
        });
    }

    /**
     * Keeps a state for a moment, as a shell loop of {@code mv -T} would: a whole lookup may then fall in
     * one state while the checks and opens of others straddle a swap (not a wait for any condition).
     */
    private static void hold() {
        LockSupport.parkNanos(HOLD_NANOS);
    }

    private static HttpResponse<byte[]> get(TestServer server, String name) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(server.uri("/d/" + name)).timeout(Duration.ofSeconds(20)).build();
        return server.http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }
}
