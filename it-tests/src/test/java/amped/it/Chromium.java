package amped.it;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headless Chromium driven over the DevTools protocol with the JDK's own HTTP client and WebSocket: one page,
 * navigated, evaluated in, emulated and photographed. Only what the listing tests need; replies are read with
 * patterns (the values asked for are plain ASCII strings).
 */
final class Chromium implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://127\\.0\\.0\\.1:(\\d+)/\\S+)");
    private static final Pattern PAGE_SOCKET = Pattern.compile(
            "\"type\"\\s*:\\s*\"page\"[^}]*?\"webSocketDebuggerUrl\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern STRING_VALUE = Pattern.compile("\"value\":\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern DATA = Pattern.compile("\"data\":\"([^\"]+)\"");

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<String>> replies = new ConcurrentHashMap<>();

    /** Whether a chromium is on the PATH. */
    static boolean installed() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "chromium"))) {
                return true;
            }
        }
        return false;
    }

    Chromium(Path profile) throws Exception {
        process = new ProcessBuilder("chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--proxy-server=direct://",
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "--window-size=1000,700", "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String browserSocket = null;
        int port = 0;
        BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (String line; browserSocket == null && System.nanoTime() < deadline && (line = err.readLine()) != null; ) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                browserSocket = m.group(1);
                port = Integer.parseInt(m.group(2));
            }
        }
        if (browserSocket == null) {
            process.destroyForcibly();
            throw new IOException("chromium did not start its DevTools endpoint");
        }
        // the rest of its chatter is drained so that it never blocks on a full pipe
        Thread.ofVirtual().start(() -> err.lines().forEach(line -> { }));
        HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
        URI list = URI.create("http://127.0.0.1:" + port + "/json/list");
        String[] pageSocket = {null};
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            Matcher m = PAGE_SOCKET.matcher(http.send(HttpRequest.newBuilder(list).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            pageSocket[0] = m.find() ? m.group(1) : null;
            return pageSocket[0] != null;
        });
        socket = http.newWebSocketBuilder().buildAsync(URI.create(pageSocket[0]), new Listener())
                .get(20, TimeUnit.SECONDS);
    }

    /** Sends a DevTools command and waits for its reply (the raw JSON). */
    String call(String method, String paramsJson) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<String> reply = new CompletableFuture<>();
        replies.put(id, reply);
        socket.sendText("{\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + paramsJson + "}", true)
                .get(10, TimeUnit.SECONDS);
        String json = reply.get(30, TimeUnit.SECONDS);
        if (json.contains("\"error\":")) {
            throw new IllegalStateException(method + ": " + json);
        }
        return json;
    }

    /** Loads {@code uri} and waits until its document is complete. */
    void open(URI uri) throws Exception {
        call("Page.navigate", "{\"url\":\"" + uri + "\"}");
        awaitLoaded(uri.toString());
    }

    /** Waits until the page at {@code url} (as the browser names it) is complete. */
    void awaitLoaded(String url) {
        await().atMost(Duration.ofSeconds(20)).until(() -> eval("location.href + ' ' + document.readyState")
                .equals(url + " complete"));
    }

    /** Evaluates a JavaScript expression whose value is a string, in the page. */
    String eval(String expression) throws Exception {
        String json = call("Runtime.evaluate", "{\"expression\":" + jsonString(expression) + ",\"returnByValue\":true}");
        Matcher m = STRING_VALUE.matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("not a string: " + json);
        }
        return m.group(1).replace("\\\"", "\"").replace("\\\\", "\\");
    }

    /** Emulates a viewport and a colour scheme ("light" or "dark"), as a phone when {@code mobile}. */
    void emulate(int width, int height, boolean mobile, String colorScheme) throws Exception {
        call("Emulation.setDeviceMetricsOverride", "{\"width\":" + width + ",\"height\":" + height
                + ",\"deviceScaleFactor\":1,\"mobile\":" + mobile + "}");
        call("Emulation.setEmulatedMedia",
                "{\"features\":[{\"name\":\"prefers-color-scheme\",\"value\":\"" + colorScheme + "\"}]}");
    }

    void screenshot(Path png) throws Exception {
        Matcher m = DATA.matcher(call("Page.captureScreenshot", "{\"format\":\"png\"}"));
        if (!m.find()) {
            throw new IllegalStateException("no screenshot");
        }
        Files.createDirectories(png.getParent());
        Files.write(png, Base64.getDecoder().decode(m.group(1)));
    }

    static String jsonString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    @Override
    public void close() {
        socket.abort();
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder message = new StringBuilder();
        private final Pattern id = Pattern.compile("^\\{\"id\":(\\d+),");

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
                String json = message.toString();
                message.setLength(0);
                Matcher m = id.matcher(json);
                if (m.find()) {
                    CompletableFuture<String> reply = replies.remove(Integer.parseInt(m.group(1)));
                    if (reply != null) {
                        reply.complete(json);
                    }
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
