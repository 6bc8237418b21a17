package amped.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Real programs the end-to-end tests drive (curl, wget, aria2c, htpasswd, haproxy, varnishd), run bounded in time. */
final class Tools {

    static final long PROCESS_SECONDS = 120;

    /** What a program printed (standard output and error together) and its exit code. */
    record Result(int exit, String output) {
    }

    private Tools() {
    }

    /**
     * The program's path: on the PATH, or in the sbin directories, where Debian puts daemons (haproxy,
     * varnishd) and where a non-root PATH does not look.
     */
    static Optional<Path> find(String name) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(File.pathSeparator)));
        }
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/local/sbin"));
        return dirs.stream().filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable).findFirst();
    }

    /** The program's path; skips the test when it is missing ({@code pkg}: the Debian package .ci/run installs). */
    static Path require(String name, String pkg) {
        Optional<Path> found = find(name);
        Assumptions.assumeTrue(found.isPresent(), name + " is not installed (apt-get install " + pkg
                + "; CI's .ci/run installs it)");
        return found.orElseThrow();
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
