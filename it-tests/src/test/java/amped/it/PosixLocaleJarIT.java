package amped.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 defect 5, as users meet it: the packaged jar started with no locale (containers, services:
 * {@code LANG} unset, so a POSIX locale and an ASCII file-name encoding in the JVM) serves non-ASCII names
 * and lists them as themselves, with links that work; never a 500.
 */
@Timeout(90)
class PosixLocaleJarIT {

    private static final Pattern LINK = Pattern.compile("<a href=\"([^\"]*)\">([^<]*)</a>");

    @TempDir
    Path root;

    @Test
    void nonAsciiNamesAreServedAndListedUnderACLocale() throws Exception {
        // made by the shell from their UTF-8 bytes, whatever this JVM's own locale can spell
        Process sh = new ProcessBuilder("sh", "-c", "printf 'caf\\303\\251 bytes' > \"$(printf 'caf\\303\\251.txt')\""
                + " && printf 'gzipped' > \"$(printf 'caf\\303\\251.txt.gz')\""
                + " && mkdir \"$(printf 'na\\303\\257ve')\""
                + " && printf 'inside' > \"$(printf 'na\\303\\257ve')/inside.txt\"")
                .directory(root.toFile()).redirectErrorStream(true).start();
        assertTrue(sh.waitFor(30, TimeUnit.SECONDS) && sh.exitValue() == 0, "made the names");

        Path stderr = root.resolveSibling(root.getFileName() + "-locale.stderr");
        try (AmpedProcess amped = AmpedProcess.start(AmpedProcess.javaCommand(List.of(), root.toString(), "--port", "0"),
                stderr, env -> {
                    env.keySet().removeIf(k -> k.startsWith("LC_") || k.equals("LANG") || k.equals("LANGUAGE"));
                    env.put("LC_ALL", "C");
                })) {
            HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
                    .connectTimeout(Duration.ofSeconds(5)).build();

            HttpResponse<String> cafe = get(http, amped.base.resolve("caf%C3%A9.txt"));
            assertEquals(200, cafe.statusCode(), amped.stderr());
            assertEquals("caf\u00e9 bytes", cafe.body());

            // its precompressed sibling, found by the same name
            HttpResponse<String> gzipped = http.send(HttpRequest.newBuilder(amped.base.resolve("caf%C3%A9.txt"))
                    .header("Accept-Encoding", "gzip").timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertEquals(200, gzipped.statusCode(), amped.stderr());
            assertEquals("gzip", gzipped.headers().firstValue("Content-Encoding").orElse(null));
            assertEquals("gzipped", gzipped.body());

            HttpResponse<String> top = get(http, amped.base);
            assertEquals(200, top.statusCode(), amped.stderr());
            List<String[]> links = links(top.body());
            assertTrue(contains(links, "caf%C3%A9.txt", "caf\u00e9.txt"), top.body());
            assertTrue(contains(links, "na%C3%AFve/", "na\u00efve/"), top.body());
            assertFalse(top.body().contains("\ufffd"), "no replacement characters: " + top.body());
            // every link of the listing leads somewhere that answers
            for (String[] link : links) {
                HttpResponse<String> followed = get(http, amped.base.resolve(link[0]));
                assertEquals(200, followed.statusCode(), link[0] + " " + amped.stderr());
            }

            HttpResponse<String> sub = get(http, amped.base.resolve("na%C3%AFve/"));
            assertEquals(200, sub.statusCode());
            assertTrue(contains(links(sub.body()), "inside.txt", "inside.txt"), sub.body());
            HttpResponse<String> inside = get(http, amped.base.resolve("na%C3%AFve/inside.txt"));
            assertEquals(200, inside.statusCode());
            assertEquals("inside", inside.body());

            assertFalse(amped.stderr().contains("WARN"), "no warnings: " + amped.stderr());
            assertEquals(0, amped.terminate(20), "exit code after SIGTERM; stderr: " + amped.stderr());
        }
    }

    private static HttpResponse<String> get(HttpClient http, URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** (href, visible name) of every link in a listing page. */
    private static List<String[]> links(String html) {
        List<String[]> links = new ArrayList<>();
        Matcher m = LINK.matcher(html);
        while (m.find()) {
            links.add(new String[] {m.group(1), m.group(2)});
        }
        return links;
    }

    private static boolean contains(List<String[]> links, String href, String name) {
        return links.stream().anyMatch(l -> l[0].equals(href) && l[1].equals(name));
    }
}
