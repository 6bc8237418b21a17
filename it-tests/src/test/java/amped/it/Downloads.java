package amped.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Many downloads at once, as crowds of clients and download accelerators make them. */
final class Downloads {

    private Downloads() {
    }

    /** GETs {@code uri} {@code count} times at once; each must be a 200. The SHA-256 of each body, in order. */
    static List<String> concurrently(HttpClient http, URI uri, int count, Duration timeout) throws Exception {
        List<CompletableFuture<String>> downloads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            downloads.add(http.sendAsync(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofInputStream())
                    .thenApply(r -> {
                        assertEquals(200, r.statusCode());
                        try {
                            return TestFiles.sha256(r.body());
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }));
        }
        List<String> shas = new ArrayList<>();
        for (CompletableFuture<String> d : downloads) {
            shas.add(d.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        }
        return shas;
    }

    /**
     * Downloads the ranges [bounds[i], bounds[i+1]) of a file of {@code size} bytes in parallel, checks each
     * is a 206 with its Content-Range and length, and returns the SHA-256 of them joined.
     */
    static String segmented(HttpClient http, URI uri, long[] bounds, long size, Duration timeout) throws Exception {
        List<CompletableFuture<HttpResponse<byte[]>>> parts = new ArrayList<>();
        for (int i = 0; i + 1 < bounds.length; i++) {
            String range = "bytes=" + bounds[i] + "-" + (bounds[i + 1] - 1);
            parts.add(http.sendAsync(HttpRequest.newBuilder(uri).header("Range", range).build(),
                    HttpResponse.BodyHandlers.ofByteArray()));
        }
        MessageDigest digest = TestFiles.sha256();
        for (int i = 0; i < parts.size(); i++) {
            HttpResponse<byte[]> r = parts.get(i).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals(206, r.statusCode(), "segment " + i);
            assertEquals("bytes " + bounds[i] + "-" + (bounds[i + 1] - 1) + "/" + size,
                    r.headers().firstValue("Content-Range").orElseThrow(), "segment " + i);
            assertEquals(bounds[i + 1] - bounds[i], r.body().length, "segment " + i);
            digest.update(r.body());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** One client's work; {@code i} numbers the client. */
    interface Client {
        void run(int i) throws Exception;
    }

    /**
     * Runs {@code runs} clients on {@code threads} threads and waits up to {@code timeout} for each in turn;
     * a client's failure fails the call.
     */
    static void onThreads(int threads, int runs, Client client, Duration timeout) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                int n = i;
                all.add(pool.submit(() -> {
                    client.run(n);
                    return null;
                }));
            }
            for (Future<?> run : all) {
                run.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
