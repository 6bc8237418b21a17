package amped.it;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Traffic that goes on while the test does something else: clients fetching small files at a steady rate,
 * and downloaders reading a large file at a paced rate (so that a download spans seconds, as a real one
 * does), each body checked byte for byte or by SHA-256. Every request made is counted, every one that did
 * not give the right bytes is a failure, with why.
 */
final class SteadyLoad implements AutoCloseable {

    /** A file the load fetches, its URL path and its bytes (small) or SHA-256 and size (large). */
    record Small(String path, byte[] bytes) {
    }

    record Large(String path, String sha, long size) {
    }

    final AtomicLong requests = new AtomicLong();
    final AtomicLong largeDone = new AtomicLong();
    final Queue<String> failures = new ConcurrentLinkedQueue<>();
    private final URI base;
    private volatile boolean running = true;
    private final ScheduledExecutorService smallClients;
    private final ExecutorService downloaders;

    /**
     * Starts {@code smallClients} clients, each fetching one of {@code small} every {@code every}, and
     * {@code downloaders} downloading {@code large} again and again at {@code bytesPerSecond} each.
     */
    SteadyLoad(URI base, List<Small> small, int smallClients, Duration every, Large large, int downloaders,
            long bytesPerSecond) {
        this.base = base;
        this.smallClients = Executors.newScheduledThreadPool(smallClients);
        this.downloaders = Executors.newFixedThreadPool(downloaders);
        for (int c = 0; c < smallClients; c++) {
            HttpClient http = client();
            AtomicLong next = new AtomicLong(c);
            this.smallClients.scheduleAtFixedRate(() -> fetch(http, small.get((int) (next.getAndIncrement() % small.size()))),
                    c, every.toMillis(), TimeUnit.MILLISECONDS);
        }
        for (int d = 0; d < downloaders; d++) {
            HttpClient http = client();
            this.downloaders.submit(() -> {
                while (running) {
                    download(http, large, bytesPerSecond);
                }
            });
        }
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    private void fetch(HttpClient http, Small file) {
        if (!running) {
            return;
        }
        requests.incrementAndGet();
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(base.resolve(file.path()))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200 || !Arrays.equals(file.bytes(), r.body())) {
                failures.add(file.path() + ": " + r.statusCode() + ", " + r.body().length + " bytes");
            }
        } catch (Exception e) {
            failures.add(file.path() + ": " + e);
        }
    }

    private void download(HttpClient http, Large file, long bytesPerSecond) {
        requests.incrementAndGet();
        try {
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(base.resolve(file.path()))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofInputStream());
            MessageDigest digest = TestFiles.sha256();
            long read = 0;
            long start = System.nanoTime();
            try (InputStream in = r.body()) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                    read += n;
                    // a client that reads at its own pace, not a condition waited for
                    LockSupport.parkNanos(start + read * 1_000_000_000L / bytesPerSecond - System.nanoTime());
                }
            }
            String sha = HexFormat.of().formatHex(digest.digest());
            if (r.statusCode() != 200 || read != file.size() || !sha.equals(file.sha())) {
                failures.add(file.path() + ": " + r.statusCode() + ", " + read + " bytes, sha " + sha);
            } else {
                largeDone.incrementAndGet();
            }
        } catch (Exception e) {
            failures.add(file.path() + ": " + e);
        }
    }

    /** Makes no more requests and waits up to {@code bound} for those under way; false if some are left. */
    boolean stop(Duration bound) throws InterruptedException {
        running = false;
        smallClients.shutdown();
        downloaders.shutdown();
        long deadline = System.nanoTime() + bound.toNanos();
        return smallClients.awaitTermination(bound.toNanos(), TimeUnit.NANOSECONDS)
                && downloaders.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        running = false;
        smallClients.shutdownNow();
        downloaders.shutdownNow();
    }
}
