package amped.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HAProxy run in the foreground from the reference configuration {@code deploy/haproxy/haproxy.cfg}, the
 * documented file itself with only its loopback ports replaced, so the file users copy is the one tested.
 */
final class Haproxy implements AutoCloseable {

    /** One request as HAProxy logged it ({@code option httplog}): who answered, what, how it ended. */
    record Routed(String server, String path, int status, String termination, String retries) {
    }

    // 127.0.0.1:41234 [02/Dec/2026:10:22:39.609] files amped/a1 0/0/0/40/41 200 100228 - - ---- 1/1/0/0/0 0/0 "GET /f.bin HTTP/1.1"
    private static final Pattern LOGGED = Pattern.compile(
            "\\S+ \\[[^]]+] files amped/(\\S+) \\S+ (\\d+) \\d+ \\S+ \\S+ (\\S{4}) \\d+/\\d+/\\d+/\\d+/(\\+?\\d+) \\S+ \"GET (\\S+) [^\"]*\"");

    private final ForegroundDaemon daemon;
    private final URI stats;
    private final URI metrics;
    private final HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private Haproxy(ForegroundDaemon daemon, URI stats) {
        this.daemon = daemon;
        this.stats = stats.resolve("/;csv");
        this.metrics = stats.resolve("/metrics");
    }

    static Path referenceConfiguration() {
        Path cfg = Path.of(System.getProperty("amped.deploy", "../deploy"), "haproxy", "haproxy.cfg");
        if (!Files.isRegularFile(cfg)) {
            throw new IllegalStateException("no reference configuration at " + cfg.toAbsolutePath());
        }
        return cfg;
    }

    /**
     * Writes the reference configuration with each documented address (a key of {@code ports}, e.g.
     * {@code 127.0.0.1:8081} or {@code port 9081}) given the port mapped to it, and starts HAProxy on it.
     * Each address must be in the file exactly once: a test that no longer matches the file fails.
     */
    static Haproxy start(Path executable, Map<String, Integer> ports, String statsAddress, Path work) throws IOException {
        String cfg = Files.readString(referenceConfiguration());
        for (Map.Entry<String, Integer> e : ports.entrySet()) {
            Pattern documented = Pattern.compile(Pattern.quote(e.getKey()) + "\\b");
            Matcher m = documented.matcher(cfg);
            assertEquals(1, m.results().count(), "the reference configuration names " + e.getKey() + " once");
            String replaced = e.getKey().replaceAll("\\d+$", Integer.toString(e.getValue()));
            cfg = documented.matcher(cfg).replaceFirst(Matcher.quoteReplacement(replaced));
        }
        Path file = work.resolve("haproxy.cfg");
        Files.writeString(file, cfg);
        ForegroundDaemon daemon = ForegroundDaemon.start(List.of(executable.toString(), "-db", "-f", file.toString()),
                work.resolve("haproxy.out"));
        return new Haproxy(daemon, URI.create("http://127.0.0.1:" + ports.get(statsAddress) + "/"));
    }

    /** The state HAProxy gives {@code server} of the backend amped: UP, DOWN, "UP 1/2" (going down)... */
    Optional<String> state(String server) {
        return stat(server, "status");
    }

    /** Requests {@code server} is answering now (HAProxy's current sessions on it). */
    long inFlight(String server) {
        return stat(server, "scur").map(Long::parseLong).orElse(-1L);
    }

    /** Log lines HAProxy could not write at once and dropped (it may, writing to a file descriptor). */
    long droppedLogLines() throws IOException, InterruptedException {
        String text = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^haproxy_process_dropped_logs_total (\\d+)$").matcher(text);
        if (!m.find()) {
            throw new IOException("no dropped-log count in HAProxy's metrics:\n" + text);
        }
        return Long.parseLong(m.group(1));
    }

    /** A column of HAProxy's CSV statistics for {@code server} of the backend amped. */
    private Optional<String> stat(String server, String column) {
        try {
            String csv = http.send(HttpRequest.newBuilder(stats).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            List<String> header = List.of(csv.lines().findFirst().orElse("").replaceFirst("^# ", "").split(","));
            int at = header.indexOf(column);
            return csv.lines().map(l -> l.split(",", -1)).filter(f -> f.length > at && f[0].equals("amped")
                    && f[1].equals(server)).map(f -> f[at]).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Every request logged so far through the frontend (health checks and the stats page are not). */
    List<Routed> routed() {
        return output().lines().map(LOGGED::matcher).filter(Matcher::matches).map(m -> new Routed(m.group(1),
                m.group(5), Integer.parseInt(m.group(2)), m.group(3), m.group(4))).toList();
    }

    String output() {
        return daemon.output();
    }

    /** Stops HAProxy, which writes the log lines of requests still open as they end. */
    boolean stop(long seconds) throws InterruptedException {
        return daemon.stop(seconds);
    }

    @Override
    public void close() {
        daemon.close();
    }
}
