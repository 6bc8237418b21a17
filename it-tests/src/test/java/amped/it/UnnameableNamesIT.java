package amped.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names no URL can ask for — bytes that are not UTF-8 (caf\xE9.txt, written by a Latin-1 system), a newline
 * — are left out of listings with one warning per directory, never listed as a dead link; every link a
 * listing offers answers 200.
 */
@Timeout(60)
class UnnameableNamesIT {

    @TempDir
    Path root;

    @Test
    void namesThatAreNotUtf8OrHoldControlCharactersAreLeftOutWithOneWarningAndEveryLinkWorks() throws Exception {
        Path dir = Files.createDirectory(root.resolve("mixed"));
        Files.writeString(dir.resolve("plain.txt"), "plain");
        Files.writeString(dir.resolve("café.txt"), "utf-8 name");
        Files.writeString(dir.resolve("line\nbreak.txt"), "newline");
        // the raw byte 0xE9 (Latin-1 é): only the shell can make such a name here
        Process touch = new ProcessBuilder("sh", "-c", "touch \"$(printf 'caf\\351-latin1.txt')\"")
                .directory(dir.toFile()).inheritIO().start();
        assertTrue(touch.waitFor(10, TimeUnit.SECONDS) && touch.exitValue() == 0);
        try (AmpedProcess amped = AmpedProcess.start(AmpedProcess.javaCommand(List.of(), root.toString(), "--port", "0"),
                root.resolveSibling("unnameable.stderr"))) {
            HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
            for (int round = 0; round < 3; round++) {
                HttpResponse<String> listing = http.send(HttpRequest.newBuilder(amped.base.resolve("/mixed/?page=1&r=" + round))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, listing.statusCode());
                String html = listing.body();
                assertTrue(html.contains("plain.txt") && html.contains("café.txt"), html);
                assertFalse(html.contains("latin1") || html.contains("break.txt") || html.contains("\uFFFD"), html);
                Matcher links = Pattern.compile("href=\"([^\"?#]+)\"").matcher(html);
                int followed = 0;
                while (links.find()) {
                    URI link = amped.base.resolve("/mixed/").resolve(links.group(1));
                    int status = http.send(HttpRequest.newBuilder(link).build(), HttpResponse.BodyHandlers.discarding())
                            .statusCode();
                    assertTrue(status == 200, link + " answered " + status);
                    followed++;
                }
                assertTrue(followed >= 2, html);
            }
            String stderr = amped.stderr();
            assertTrue(stderr.contains("not valid UTF-8"), stderr);
            assertTrue(stderr.contains("no URL can name"), stderr);
            assertEquals(0, amped.terminate(20), amped.stderr());
        }
    }
}
