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
        // SIGHUP handled as by default whatever the test run was started under (nohup ignores it, and children inherit that)
        List<String> command = new ArrayList<>(List.of("env", "--default-signal=HUP"));
        command.addAll(AmpedProcess.javaCommand(List.of(), root.toString(), "--port", "0", "--access-log", log.toString()));
        try (AmpedProcess amped = AmpedProcess.start(command, root.resolveSibling(root.getFileName() + "-hup.stderr"))) {
            rotateWithSighup(amped, log);
            assertTrue(amped.process.isAlive(), "SIGHUP does not stop the server");
            assertEquals(0, amped.terminate(20), amped.stderr());
        }
    }

    @Test
    void sighupIgnoredAtStartIsToldOnceAndTheLogIsReopenedWhenItsFileIsRenamed() throws Exception {
        Files.writeString(root.resolve("a.txt"), "a");
        Path log = root.resolveSibling(root.getFileName() + "-nohup-access.log");
        // as under nohup: SIGHUP ignored before the JVM starts, which then installs no handler for it
        List<String> command = new ArrayList<>(List.of("setsid", "sh", "-c", "trap '' HUP; exec \"$0\" \"$@\""));
        command.addAll(AmpedProcess.javaCommand(List.of(), root.toString(), "--port", "0", "--access-log", log.toString()));
        try (AmpedProcess amped = AmpedProcess.start(command, root.resolveSibling(root.getFileName() + "-nohup.stderr"))) {
            assertEquals(1, amped.stderr().lines().filter(l -> l.contains("SIGHUP")).count(),
                    "one line about SIGHUP: " + amped.stderr());
            assertTrue(amped.stderr().contains("renamed"), amped.stderr());
            // under an ignored SIGHUP the rename is noticed without the signal (checked once a second)
            rotateWithSighup(amped, log);
            assertEquals(1, amped.stderr().lines().filter(l -> l.contains("SIGHUP")).count(), amped.stderr());
            assertEquals(0, amped.terminate(20), amped.stderr());
        }
    }

    /** Runs the jar to its end; returns {exit code, stderr, milliseconds taken}. */
    private Object[] runToExit(String... args) throws Exception {
        long start = System.nanoTime();
        Process p = launch(args);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "ended: " + String.join(" ", args));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Object[] {p.exitValue(), err, ms};
    }

    @Test
    void aPortHeldByAnotherProcessIsInUseWhateverTheDispatcherCount() throws Exception {
        Path other = Files.createDirectories(root.resolve("other"));
        Files.writeString(other.resolve("who.txt"), "the first server\n");
        Files.writeString(root.resolve("who.txt"), "the second server\n");
        try (AmpedProcess first = AmpedProcess.start(AmpedProcess.javaCommand(List.of(), other.toString(), "--port", "0",
                "--dispatchers", "2"), root.resolveSibling(root.getFileName() + "-first.stderr"))) {
            String port = Integer.toString(first.port);
            List<String> messages = new ArrayList<>();
            for (String dispatchers : List.of("1", "2", "auto")) {
                Object[] r = runToExit(root.toString(), "--port", port, "--dispatchers", dispatchers);
                assertEquals(1, r[0], dispatchers + " dispatchers: " + r[1]);
                String err = ((String) r[1]).strip();
                assertEquals(1, err.lines().count(), err);
                assertTrue(err.contains("127.0.0.1:" + port) && err.contains("in use"), err);
                messages.add(err);
            }
            assertEquals(1, messages.stream().distinct().count(), "the same message: " + messages);
            HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
            for (int i = 0; i < 20; i++) {
                assertEquals("the first server\n", http.send(HttpRequest.newBuilder(first.base.resolve("who.txt")).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
            }
        }
        // any other listener, even one that lets others share its port
        try (java.nio.channels.ServerSocketChannel held = java.nio.channels.ServerSocketChannel.open()) {
            held.setOption(java.net.StandardSocketOptions.SO_REUSEPORT, true);
            held.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
            int port = ((java.net.InetSocketAddress) held.getLocalAddress()).getPort();
            Object[] r = runToExit(root.toString(), "--port", Integer.toString(port), "--dispatchers", "2");
            assertEquals(1, r[0], (String) r[1]);
            assertTrue(((String) r[1]).contains("in use"), (String) r[1]);
        }
    }

    @Test
    void aStatusListenPortInUseIsOneLineNamingItAndExitCode1() throws Exception {
        try (java.nio.channels.ServerSocketChannel held = java.nio.channels.ServerSocketChannel.open()) {
            held.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
            String port = Integer.toString(((java.net.InetSocketAddress) held.getLocalAddress()).getPort());
            Object[] r = runToExit(root.toString(), "--port", "0", "--status-listen", "127.0.0.1:" + port);
            assertEquals(1, r[0], (String) r[1]);
            assertEquals("amped: cannot listen on 127.0.0.1:" + port + " (--status-listen): the port is in use by another"
                    + " program; expected a free port in --status-listen", ((String) r[1]).strip());
        }
    }

    @Test
    void aBindFailureIsReportedWithinASecondWhateverTheDispatcherCount() throws Exception {
        // what starting the JVM and reading the command line take, measured here, not guessed
        Object[] version = runToExit("--version");
        assertEquals(0, version[0]);
        try (java.nio.channels.ServerSocketChannel held = java.nio.channels.ServerSocketChannel.open()) {
            held.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
            String port = Integer.toString(((java.net.InetSocketAddress) held.getLocalAddress()).getPort());
            for (String dispatchers : List.of("1", "4")) {
                Object[] r = runToExit(root.toString(), "--port", port, "--dispatchers", dispatchers);
                assertEquals(1, r[0], (String) r[1]);
                long beyondStartup = (long) r[2] - (long) version[2];
                assertTrue(beyondStartup < 1000, dispatchers + " dispatchers: " + r[2] + " ms, --version took "
                        + version[2] + " ms; " + r[1]);
            }
        }
    }

    @Test
    void shutdownLinesGiveDurationsAsTypedAndNoJavaNames() throws Exception {
        try (AmpedProcess amped = AmpedProcess.start(AmpedProcess.javaCommand(List.of(), root.toString(), "--port", "0",
                "--drain-delay", "1500ms"), root.resolveSibling(root.getFileName() + "-drain.stderr"))) {
            assertEquals(0, amped.terminate(20), amped.stderr());
            String err = amped.stderr();
            assertTrue(err.contains("still serving for 1500ms"), err);
            assertTrue(!err.contains("PT1.5S") && !err.matches("(?s).*\\b(AmpedServer|Listener|ServingLoop|Dispatcher)\\b.*"),
                    "no ISO durations or class names: " + err);
        }
    }

    @Test
    void noTrafficMeansNoInFlightWarningAtShutdown() throws Exception {
        for (int run = 0; run < 3; run++) {
            try (AmpedProcess amped = AmpedProcess.start(AmpedProcess.javaCommand(List.of(), root.toString(), "--port", "0",
                    "--shutdown-timeout", "0s"), root.resolveSibling(root.getFileName() + "-quiet" + run + ".stderr"))) {
                assertEquals(0, amped.terminate(20), amped.stderr());
                assertTrue(!amped.stderr().contains("in flight"), "run " + run + ": " + amped.stderr());
            }
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

    /**
     * logrotate's way: a line is logged, the file renamed, SIGHUP sent; the next line goes to a new file at
     * the path and nothing more to the renamed one.
     */
    private static void rotateWithSighup(AmpedProcess amped, Path log) throws Exception {
        HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
        http.send(HttpRequest.newBuilder(amped.base.resolve("a.txt?before")).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(log) && Files.readString(log).contains("?before"));
        Path rotated = log.resolveSibling(log.getFileName() + ".1");
        Files.move(log, rotated);
        Process hup = new ProcessBuilder("kill", "-HUP", Long.toString(amped.pid())).start();
        assertTrue(hup.waitFor(10, TimeUnit.SECONDS));
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(log));
        http.send(HttpRequest.newBuilder(amped.base.resolve("a.txt?after")).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(log).contains("?after"));
        assertTrue(!Files.readString(rotated).contains("?after"), "the old file gets nothing more");
    }
}
