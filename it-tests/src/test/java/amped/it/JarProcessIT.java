package amped.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar as a user runs it: its printed URL works, SIGTERM stops it with exit code 0. */
@Timeout(90)
class JarProcessIT {

    @TempDir
    Path root;
    private final List<Process> processes = new ArrayList<>();

    Process launch(String... args) throws IOException {
        Process p = new ProcessBuilder(AmpedProcess.javaCommand(List.of(), args)).start();
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
        try (AmpedProcess amped = AmpedProcess.start(AmpedProcess.javaCommand(List.of(), root.toString(), "--port", "0"),
                root.resolveSibling(root.getFileName() + ".stderr"))) {
            Matcher m = AmpedProcess.BANNER.matcher(amped.banner);
            assertTrue(m.matches());
            assertEquals(root.toRealPath().toString(), m.group(3));
            assertTrue(amped.port > 0);

            HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(amped.base.resolve("index.txt")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals("served by a real process\n", r.body());

            assertEquals(0, amped.terminate(20), "exit code after SIGTERM; stderr: " + amped.stderr());
        }
    }

    @Test
    void sighupReopensTheAccessLogForRotation() throws Exception {
        Files.writeString(root.resolve("a.txt"), "a");
        Path log = root.resolveSibling(root.getFileName() + "-access.log");
        try (AmpedProcess amped = AmpedProcess.start(AmpedProcess.javaCommand(List.of(), root.toString(), "--port", "0",
                "--access-log", log.toString()), root.resolveSibling(root.getFileName() + "-hup.stderr"))) {
            HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
            http.send(HttpRequest.newBuilder(amped.base.resolve("a.txt?before")).build(), HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(log) && Files.readString(log).contains("?before"));
            // logrotate: rename, then tell the server
            Path rotated = log.resolveSibling(log.getFileName() + ".1");
            Files.move(log, rotated);
            Process hup = new ProcessBuilder("kill", "-HUP", Long.toString(amped.pid())).start();
            assertTrue(hup.waitFor(10, TimeUnit.SECONDS));
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(log));
            http.send(HttpRequest.newBuilder(amped.base.resolve("a.txt?after")).build(), HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(log).contains("?after"));
            assertTrue(!Files.readString(rotated).contains("?after"), "the old file gets nothing more");
            assertTrue(amped.process.isAlive(), "SIGHUP does not stop the server");
            assertEquals(0, amped.terminate(20), amped.stderr());
        }
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
