package amped.fileio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amped.fileio.sys.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 item 5 and issue 11 item 9: with the locale unset (a POSIX locale, so the JVM's file-name
 * encoding is ASCII, and no -D can change it), a non-ASCII name is still found and read, and a listing
 * shows it as itself; a name that is not valid UTF-8 is left out of the listing, never an error.
 */
@Timeout(120)
class NamesUnderAPosixLocaleTest {

    @TempDir
    Path tmp;

    @Test
    void nonAsciiNamesWorkWhateverTheLocaleAndInvalidUtf8IsLeftOut() throws Exception {
        Assumptions.assumeTrue(Native.AVAILABLE, "no native calls here");
        Assumptions.assumeTrue("UTF-8".equals(System.getProperty("sun.jnu.encoding")),
                "this JVM cannot make the UTF-8 name");
        Path root = Files.createDirectory(tmp.toRealPath().resolve("root"));
        Files.writeString(root.resolve("caf\u00e9.txt"), "cafe");
        Files.writeString(root.resolve("plain.txt"), "plain");
        // "caf\xe9.txt": Latin-1 bytes, not UTF-8 (a JVM cannot spell it; the shell can)
        Process sh = new ProcessBuilder("sh", "-c", "printf latin1 > \"$(printf 'caf\\351.txt')\"")
                .directory(root.toFile()).redirectErrorStream(true).start();
        assertTrue(sh.waitFor(30, TimeUnit.SECONDS) && sh.exitValue() == 0, "made the Latin-1 name");
        try (var s = Files.list(root)) {
            assertEquals(3, s.count());
        }

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), NamesProbe.class.getName(), root.toString());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("LC_") || k.equals("LANG") || k.equals("LANGUAGE"));
        env.put("LC_ALL", "C");
        Process probe = pb.start();
        String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        String err = new String(probe.getErrorStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertTrue(probe.waitFor(60, TimeUnit.SECONDS), "the probe finished");
        assertEquals(0, probe.exitValue(), out + err);
        List<String> lines = out.lines().toList();
        Assumptions.assumeFalse(lines.contains("jnu=UTF-8"), "the C locale still gave UTF-8 file names here");
        assertTrue(lines.contains("resolve=Found"), out);
        assertTrue(lines.contains("content=cafe"), out);
        // the Latin-1 name is left out (with a warning), never a garbled entry
        assertTrue(lines.contains("list=caf%C3%A9.txt,plain.txt"), out);
        assertEquals(1, err.lines().filter(l -> l.contains("not valid UTF-8")).count(), "one warning: " + err);
    }
}
