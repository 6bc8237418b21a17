package amped.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged jar run as a separate process, as a user runs it. Its stderr goes to a file (read it with
 * {@link #stderr()}); its stdout's first line, the banner, gives the URL.
 */
final class AmpedProcess implements AutoCloseable {

    static final Pattern BANNER = Pattern.compile("amped listening on (https?://127\\.0\\.0\\.1:(\\d+)/) serving (.+)");

    final Process process;
    final Path stderrFile;
    final BufferedReader stdout;
    String banner;
    URI base;
    int port;

    private AmpedProcess(Process process, Path stderrFile) {
        this.process = process;
        this.stderrFile = stderrFile;
        this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("amped.jar", "../cli/target/amped.jar"));
        assertTrue(Files.isRegularFile(jar), "build the jar first: " + jar.toAbsolutePath());
        return jar;
    }

    static List<String> javaCommand(List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(List.of(args));
        return command;
    }

    /** Starts {@code command} (a java command line, maybe wrapped) and waits for its banner. */
    static AmpedProcess start(List<String> command, Path stderrFile) throws Exception {
        return start(command, stderrFile, environment -> { });
    }

    /** The same, with the environment (this JVM's, inherited) changed by {@code environment} first. */
    static AmpedProcess start(List<String> command, Path stderrFile, Consumer<Map<String, String>> environment)
            throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderrFile.toFile());
        environment.accept(builder.environment());
        Process p = builder.start();
        AmpedProcess amped = new AmpedProcess(p, stderrFile);
        amped.banner = CompletableFuture.supplyAsync(() -> {
            try {
                return amped.stdout.readLine();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(30, TimeUnit.SECONDS);
        Matcher m = BANNER.matcher(amped.banner == null ? "" : amped.banner);
        assertTrue(m.matches(), "banner: " + amped.banner + "\nstderr: " + amped.stderr());
        amped.base = URI.create(m.group(1));
        amped.port = Integer.parseInt(m.group(2));
        return amped;
    }

    long pid() {
        return process.pid();
    }

    String stderr() {
        return TestFiles.readForMessage(stderrFile);
    }

    /** A line of /proc/PID/status, e.g. VmRSS or VmHWM, in KiB. */
    long statusKib(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException(field + " not in /proc status");
    }

    /** SIGTERM, then the exit code (or -1 if it did not stop in time). */
    int terminate(long seconds) throws InterruptedException {
        process.destroy();
        return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
