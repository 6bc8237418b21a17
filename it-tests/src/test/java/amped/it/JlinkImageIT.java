package amped.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The self-contained image (dist: a jlink runtime, the jar, bin/amped) run as on a machine without Java: no
 * java on the PATH (a decoy that fails instead), no JAVA_HOME, no locale.
 */
@Timeout(120)
class JlinkImageIT {

    @TempDir
    Path root;
    @TempDir
    Path tools;

    static Path image() {
        Path image = Path.of(System.getProperty("amped.image", "../dist/target/amped-0.1.0"));
        assertTrue(Files.isExecutable(image.resolve("bin/amped")), "build the image first: " + image.toAbsolutePath());
        return image;
    }

    /** A PATH with what the launcher uses, and a java that fails loudly, so that no installed JDK can serve. */
    private Path pathWithoutJava() throws IOException {
        for (String tool : List.of("readlink", "dirname")) {
            Path real = Arrays.stream(new String[] {"/usr/bin", "/bin"}).map(d -> Path.of(d, tool))
                    .filter(Files::isExecutable).findFirst().orElseThrow();
            Files.copy(real, tools.resolve(tool), StandardCopyOption.COPY_ATTRIBUTES);
        }
        Path decoy = tools.resolve("java");
        Files.writeString(decoy, "#!/bin/sh\necho 'a java on the PATH was run' >&2\nexit 97\n");
        assertTrue(decoy.toFile().setExecutable(true));
        return tools;
    }

    @Test
    void theLauncherServesExactBytesWithItsOwnRuntimeAndStopsCleanly() throws Exception {
        String sha = TestFiles.write(root.resolve("caf\u00e9.bin"), 5L * 1024 * 1024 + 17, 71);
        Path stderr = root.resolveSibling(root.getFileName() + "-image.stderr");
        List<String> command = List.of(image().resolve("bin/amped").toString(), root.toString(), "--port", "0");
        Path path = pathWithoutJava();
        try (AmpedProcess amped = AmpedProcess.start(command, stderr, env -> {
            env.keySet().removeIf(k -> k.startsWith("LC_") || k.equals("LANG") || k.equals("LANGUAGE")
                    || k.equals("JAVA_HOME") || k.equals("JDK_HOME") || k.equals("JAVA_OPTS") || k.startsWith("AMPED_")
                    || k.equals("JAVA_TOOL_OPTIONS") || k.equals("JDK_JAVA_OPTIONS"));
            env.put("PATH", path.toString());
        })) {
            HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            URI file = amped.base.resolve("caf%C3%A9.bin");
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(file).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, r.statusCode(), amped.stderr());
            try (InputStream body = r.body()) {
                assertEquals(sha, TestFiles.sha256(body), "SHA-256 of the download");
            }
            // the runtime is the image's, not the one running this test
            String javaOfProcess = Files.readSymbolicLink(Path.of("/proc", Long.toString(amped.pid()), "exe")).toString();
            assertTrue(javaOfProcess.startsWith(image().toRealPath().toString()), javaOfProcess);
            assertFalse(amped.stderr().contains("a java on the PATH was run"), amped.stderr());
            // SIGTERM is handled (sun.misc.Signal, in jdk.unsupported): graceful, exit code 0
            assertEquals(0, amped.terminate(20), "exit code after SIGTERM; stderr: " + amped.stderr());
        }
    }

    @Test
    void theRuntimeHoldsEveryModuleTheJarNeedsAndLittleElse() throws Exception {
        Set<String> imageModules = modulesOf(image());
        assertTrue(imageModules.containsAll(Set.of("java.base", "jdk.unsupported")), imageModules.toString());
        assertTrue(imageModules.size() <= 3, "trimmed: " + imageModules);
        Path jdeps = Path.of(System.getProperty("java.home"), "bin", "jdeps");
        Process p = new ProcessBuilder(jdeps.toString(), "--print-module-deps", "--ignore-missing-deps",
                "--multi-release", "25", AmpedProcess.jar().toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(90, TimeUnit.SECONDS) && p.exitValue() == 0, "jdeps: " + out);
        Set<String> needed = new TreeSet<>(Arrays.asList(out.split(",")));
        assertTrue(imageModules.containsAll(needed), "jdeps lists " + needed + ", the image has " + imageModules);
    }

    @Test
    void theLauncherPrintsTheVersionAndRefusesABadOptionInOneLine() throws Exception {
        Path path = pathWithoutJava();
        // run through a link elsewhere, as from /usr/local/bin: the launcher finds its image all the same
        Path linked = Files.createTempDirectory("amped-link");
        Path link = Files.createSymbolicLink(linked.resolve("amped"), image().resolve("bin/amped").toAbsolutePath());
        ProcessBuilder version = new ProcessBuilder(link.toString(), "--version").redirectErrorStream(true);
        version.environment().put("PATH", path.toString());
        version.environment().remove("JAVA_HOME");
        Process v = version.start();
        String printed = new String(v.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(v.waitFor(30, TimeUnit.SECONDS));
        Files.delete(link);
        Files.delete(linked);
        assertEquals(0, v.exitValue(), printed);
        assertTrue(printed.startsWith("amped "), printed);

        ProcessBuilder bad = new ProcessBuilder(image().resolve("bin/amped").toString(), "--port", "http")
                .redirectErrorStream(true);
        bad.environment().put("PATH", path.toString());
        Process b = bad.start();
        String said = new String(b.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(b.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, b.exitValue(), said);
        assertEquals(1, said.strip().lines().count(), said);
    }

    /** The MODULES line of the image's release file. */
    private static Set<String> modulesOf(Path image) throws IOException {
        for (String line : Files.readAllLines(image.resolve("release"))) {
            if (line.startsWith("MODULES=")) {
                return new TreeSet<>(Arrays.asList(line.substring("MODULES=".length()).replace("\"", "").split(" ")));
            }
        }
        throw new IOException("no MODULES in " + image.resolve("release"));
    }
}
