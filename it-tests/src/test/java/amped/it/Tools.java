package amped.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Real programs the end-to-end tests drive (curl, wget, aria2c, htpasswd): found on the PATH, run bounded in time. */
final class Tools {

    static final long PROCESS_SECONDS = 120;

    /** What a program printed (standard output and error together) and its exit code. */
    record Result(int exit, String output) {
    }

    private Tools() {
    }

    /** True when {@code name} is an executable on the PATH. */
    static boolean installed(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }

    /** Skips the test when {@code name} is missing; {@code pkg} is the Debian package .ci/run installs. */
    static void require(String name, String pkg) {
        Assumptions.assumeTrue(installed(name), name + " is not installed (CI installs the package " + pkg + ")");
    }

    /**
     * Runs a command without proxies and without user configuration ({@code home} stands in for HOME: no
     * ~/.curlrc, ~/.wgetrc or aria2 config); fails unless it ends in time.
     */
    static Result run(Path home, String... command) throws IOException, InterruptedException {
        Path log = Files.createTempFile(home, "tool", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        for (String proxy : List.of("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")) {
            pb.environment().remove(proxy);
        }
        pb.environment().put("no_proxy", "*");
        pb.environment().put("HOME", home.toString());
        Process p = pb.start();
        if (!p.waitFor(PROCESS_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            fail(String.join(" ", command) + " did not finish in " + PROCESS_SECONDS + "s:\n" + Files.readString(log));
        }
        return new Result(p.exitValue(), new String(Files.readAllBytes(log), StandardCharsets.UTF_8));
    }
}
