package amped.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar as a user runs it: its printed URL works, SIGTERM stops it with exit code 0. */
@Timeout(90)
class JarProcessTest {

    private static final Pattern BANNER = Pattern.compile("amped listening on (http://127\\.0\\.0\\.1:(\\d+)/) serving (.+)");

    @TempDir
    Path root;
    private final List<Process> processes = new ArrayList<>();

    static Path jar() {
        Path jar = Path.of(System.getProperty("amped.jar", "../cli/target/amped.jar"));
        assertTrue(Files.isRegularFile(jar), "build the jar first: " + jar.toAbsolutePath());
        return jar;
    }

    Process launch(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar().toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        processes.add(p);
        return p;
    }

    @AfterEach
    void killLeftovers() {
        for (Process p : processes) {
            p.destroyForcibly();
        }
    }

    @Test
    void servesFromThePrintedUrlAndStopsCleanlyOnSigterm() throws Exception {
        Files.writeString(root.resolve("index.txt"), "served by a real process\n");
        Process amped = launch(root.toString(), "--port", "0");
        BufferedReader stdout = new BufferedReader(new InputStreamReader(amped.getInputStream(), StandardCharsets.UTF_8));
        String banner = CompletableFuture.supplyAsync(() -> {
            try {
                return stdout.readLine();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(30, TimeUnit.SECONDS);
        Matcher m = BANNER.matcher(banner == null ? "" : banner);
        assertTrue(m.matches(), "banner: " + banner);
        assertEquals(root.toRealPath().toString(), m.group(3));
        assertTrue(Integer.parseInt(m.group(2)) > 0);

        HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(m.group(1) + "index.txt")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("served by a real process\n", r.body());

        amped.destroy(); // SIGTERM on Linux
        assertTrue(amped.waitFor(20, TimeUnit.SECONDS), "amped did not stop after SIGTERM");
        assertEquals(0, amped.exitValue());
    }

    @Test
    void aBadOptionOrMissingDirectoryIsOneLineOnStderrAndExitCode2() throws Exception {
        String[][] cases = {
            {"--bogus"},
            {"--port", "notaport"},
            {root.resolve("does-not-exist").toString()},
            {root.toString(), "--chunk-size", "12q"},
        };
        for (String[] args : cases) {
            Process p = launch(args);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(2, p.exitValue(), String.join(" ", args) + ": " + err);
            assertEquals(1, err.strip().lines().count(), "one line: " + err);
            assertTrue(err.startsWith("amped: "), err);
            assertEquals("", new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
