package amped.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amped.core.log.AccessLogFormat;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What an operator sees: the access log on disk, the metrics, the status page, the health endpoint. */
@Timeout(120)
class OperationsIT {

    private static final Pattern COMBINED = Pattern.compile(
            "(\\S+) - - \\[([^]]+)] \"([^\"]*)\" (\\d{3}) (\\d+|-) \"([^\"]*)\" \"([^\"]*)\" (\\d+)");

    @TempDir
    Path temp;
    Path root;
    Path logFile;
    TestServer server;

    @RegisterExtension
    final AmpedServerExtension servers = AmpedServerExtension.withoutHoldCheck();

    @BeforeEach
    void files() throws IOException {
        root = Files.createDirectory(temp.resolve("www"));
        logFile = temp.resolve("access.log");
        Files.writeString(root.resolve("hello.txt"), "hello\n");
        TestFiles.write(root.resolve("big.bin"), 16L * 1024 * 1024, 51);
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return server.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<String> logLines(int atLeast) throws IOException {
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(logFile)
                && Files.readAllLines(logFile).size() >= atLeast);
        return Files.readAllLines(logFile);
    }

    @Test
    void theAccessLogRecordsEveryResponseIncludingAbortedOnesWithTheBytesReallySent() throws Exception {
        server = servers.start(root, b -> b.accessLog(logFile.toString()));
        assertEquals(200, get("/hello.txt", "User-Agent", "evil \"agent\"", "Referer", "http://r/").statusCode());
        assertEquals(404, get("/missing?q=1").statusCode());
        assertEquals(206, get("/hello.txt", "Range", "bytes=0-1").statusCode());
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            s.getOutputStream().write("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getInputStream().readNBytes(100_000);
            s.setSoLinger(true, 0);
        }
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\nBad Field\r\n\r\n");
            assertEquals(400, c.read().status());
        }
        List<String> lines = logLines(5);
        Matcher ok = COMBINED.matcher(lines.get(0));
        assertTrue(ok.matches(), lines.get(0));
        assertEquals("127.0.0.1", ok.group(1));
        assertEquals("GET /hello.txt HTTP/1.1", ok.group(3));
        assertEquals("200", ok.group(4));
        assertEquals("6", ok.group(5));
        assertEquals("http://r/", ok.group(6));
        assertEquals("evil \\x22agent\\x22", ok.group(7));
        Matcher missing = COMBINED.matcher(lines.get(1));
        assertTrue(missing.matches(), lines.get(1));
        assertEquals("GET /missing?q=1 HTTP/1.1", missing.group(3));
        assertEquals("404", missing.group(4));
        Matcher partial = COMBINED.matcher(lines.get(2));
        assertTrue(partial.matches());
        assertEquals("206", partial.group(4));
        assertEquals("2", partial.group(5));
        // the last two come from different connections: their order is whichever ended first
        String abortedLine = lines.stream().filter(l -> l.contains("/big.bin")).findFirst().orElseThrow();
        String malformedLine = lines.stream().filter(l -> l.contains("] \"-\" 400 ")).findFirst().orElseThrow();
        Matcher aborted = COMBINED.matcher(abortedLine);
        assertTrue(aborted.matches(), abortedLine);
        assertEquals("GET /big.bin HTTP/1.1", aborted.group(3));
        assertEquals("200", aborted.group(4));
        long sent = Long.parseLong(aborted.group(5));
        assertTrue(sent >= 100_000 - 300 && sent < 16L * 1024 * 1024, "bytes actually sent: " + sent);
        Matcher malformed = COMBINED.matcher(malformedLine);
        assertTrue(malformed.matches(), malformedLine);
        assertEquals("-", malformed.group(3));
        assertEquals("400", malformed.group(4));
        server.awaitNothingHeld();
    }

    @Test
    void theJsonFormatIsOneObjectPerResponse() throws Exception {
        server = servers.start(root, b -> b.accessLog(logFile.toString()).logFormat(AccessLogFormat.JSON));
        get("/hello.txt", "User-Agent", "tab\there");
        String line = logLines(1).get(0);
        assertTrue(line.startsWith("{\"time\":\""), line);
        assertTrue(line.contains("\"remote\":\"127.0.0.1\",\"method\":\"GET\",\"target\":\"/hello.txt\",\"protocol\":\"HTTP/1.1\","
                + "\"status\":200,\"bytes\":6,\"referer\":null,\"user_agent\":\"tab\\there\""), line);
        assertTrue(line.endsWith(",\"aborted\":false}"), line);
    }

    @Test
    void metricsAreParseablePrometheusTextThatCountsTheTraffic() throws Exception {
        server = servers.start(root, b -> b.statusPath("/-/status"));
        for (int i = 0; i < 7; i++) {
            assertEquals(200, get("/hello.txt").statusCode());
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(404, get("/nope").statusCode());
        }
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("HEAD /hello.txt HTTP/1.1\r\nHost: x\r\n\r\nOPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(200, c.read(true).status());
            assertEquals(204, c.read().status());
        }
        HttpResponse<String> r = get("/-/status/metrics");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain; version=0.0.4"));
        Map<String, Double> m = parseMetrics(r.body());
        assertEquals(10.0, m.get("amped_requests_total{method=\"GET\"}"));
        assertEquals(1.0, m.get("amped_requests_total{method=\"HEAD\"}"));
        assertEquals(1.0, m.get("amped_requests_total{method=\"OPTIONS\"}"));
        assertEquals(9.0, m.get("amped_responses_total{class=\"2xx\"}"));
        assertEquals(3.0, m.get("amped_responses_total{class=\"4xx\"}"));
        assertTrue(m.get("amped_sent_bytes_total") >= 7 * 6 + 3 * 14);
        assertTrue(m.get("amped_events_total{type=\"accept\"}") >= 2);
        // fourteen lookups (each 404 also looks for the error page, /404.html): the first of each path, and
        // one a second after, went to a disk helper; the others were answered from the file cache
        double misses = m.get("amped_file_cache_misses_total");
        assertEquals(14.0, misses + m.get("amped_file_cache_hits_total"));
        assertTrue(misses >= 3 && misses < 14, "misses " + misses);
        assertEquals(misses, m.get("amped_events_total{type=\"disk_job_complete\"}"));
        assertEquals(3.0, m.get("amped_file_cache_entries"));
        assertEquals(m.get("amped_handler_duration_seconds_count"), m.get("amped_handler_duration_seconds_bucket{le=\"+Inf\"}"));
        assertTrue(m.get("amped_handler_duration_seconds_count") > 0);
        assertEquals(64.0 * 1024 * 1024, m.get("amped_buffer_pool_budget_bytes"));
        assertEquals(0.0, m.get("amped_open_files"));
        assertEquals(1.0, m.get("amped_dispatchers"));
        assertEquals(0.0, m.get("amped_handler_failures_total"));
        // every sample has HELP and TYPE
        for (String name : m.keySet()) {
            String base = name.replaceAll("\\{.*", "").replaceAll("_(bucket|sum|count)$", "");
            assertTrue(r.body().contains("# TYPE " + base + " "), name);
        }
        server.awaitNothingHeld();
    }

    @Test
    void theStatusPageShowsTotalsAndTransfersInProgress() throws Exception {
        server = servers.start(root, b -> b.statusPath("/-/status"));
        try (Socket slow = new Socket()) {
            slow.setReceiveBufferSize(16 * 1024);
            slow.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
            slow.getOutputStream().write("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = slow.getInputStream();
            in.readNBytes(200_000);
            HttpResponse<String> page = get("/-/status/");
            assertEquals(200, page.statusCode());
            assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElseThrow());
            assertEquals("no-store", page.headers().firstValue("Cache-Control").orElseThrow());
            String html = page.body();
            assertTrue(html.startsWith("<!DOCTYPE html>") && html.trim().endsWith("</html>"));
            assertTrue(html.contains("<meta http-equiv=\"refresh\""), "it refreshes itself");
            assertTrue(html.contains("Transfers in progress (1)"), html);
            assertTrue(html.contains("<td class=\"p\">/big.bin</td>"), html);
            assertTrue(html.contains("<progress max=\"16777216\" value=\""), html);
            assertTrue(html.contains("<svg") && html.contains("<polyline"), "a sparkline");
            assertTrue(html.contains("connections open"));
            assertTrue(!html.contains("<script") && !html.contains("src=\"http"), "nothing from elsewhere");
        }
        server.awaitNothingHeld();
    }

    @Test
    void healthIs200WhileServingAnd503OnceAShutdownBegins() throws Exception {
        server = servers.start(root, b -> b.statusPath("/-/status").drainDelay(Duration.ofSeconds(3)));
        HttpResponse<String> healthy = get("/-/status/health");
        assertEquals(200, healthy.statusCode());
        assertEquals("ok\n", healthy.body());
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> server.server.shutdown(Duration.ofSeconds(5)));
        await().atMost(Duration.ofSeconds(2)).until(() -> {
            try (RawHttp c = new RawHttp(server.port())) {
                c.send("GET /-/status/health HTTP/1.1\r\nHost: x\r\n\r\n");
                return c.read().status() == 503;
            }
        });
        // during the drain delay files are still served, so traffic moves away without errors
        assertEquals(200, get("/hello.txt").statusCode());
        stopping.get(20, TimeUnit.SECONDS);
    }

    @Test
    void statusEndpointsAreOffByDefaultAndUnknownOnesAre404() throws Exception {
        server = servers.start(root, b -> { });
        assertEquals(404, get("/-/status/metrics").statusCode());
        server.close();
        server = servers.start(root, b -> b.statusPath("/_amped"));
        assertEquals(404, get("/_amped/nothing-here").statusCode());
        assertEquals(200, get("/_amped").statusCode());
        assertEquals(200, get("/_amped/health").statusCode());
    }

    static Map<String, Double> parseMetrics(String text) {
        Map<String, Double> samples = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return samples;
    }
}
