package amped.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15, item 4: the listing as JSON for scripts, chosen by Accept or ?format=json, with Vary: Accept. */
@Timeout(60)
class JsonListingIT {

    @TempDir
    static Path temp;
    static Path root;

    @RegisterExtension
    final AmpedServerExtension servers = new AmpedServerExtension();

    @BeforeAll
    static void createTree() throws IOException {
        root = Files.createDirectory(temp.resolve("www"));
        Path dir = Files.createDirectories(root.resolve("d ir"));
        Path f = Files.writeString(dir.resolve("say \"hi\" & <x>.txt"), "hi\n");
        Files.setLastModifiedTime(f, FileTime.from(Instant.parse("2026-11-28T03:15:26Z")));
        Path sub = Files.createDirectories(dir.resolve("sub"));
        Files.setLastModifiedTime(sub, FileTime.from(Instant.parse("2026-11-27T00:00:00Z")));
        Files.writeString(dir.resolve(".hidden"), "no\n");
    }

    private static final String EXPECTED = "{\"path\":\"/d ir/\",\"page\":1,\"pages\":1,\"directories\":1,\"files\":1,"
            + "\"entries\":[\n"
            + "{\"name\":\"sub\",\"type\":\"directory\",\"size\":null,\"mtime\":\"2026-11-27T00:00:00Z\","
            + "\"url\":\"/d%20ir/sub/\"},\n"
            + "{\"name\":\"say \\\"hi\\\" & <x>.txt\",\"type\":\"file\",\"size\":3,\"mtime\":\"2026-11-28T03:15:26Z\","
            + "\"url\":\"/d%20ir/say%20%22hi%22%20%26%20%3Cx%3E.txt\"}]}\n";

    @Test
    void acceptOrFormatGetJsonAndBrowsersGetHtml() throws Exception {
        TestServer server = servers.start(root);
        HttpResponse<String> byAccept = server.http.send(HttpRequest.newBuilder(server.uri("/d%20ir/"))
                .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, byAccept.statusCode());
        assertEquals("application/json", byAccept.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("Accept", byAccept.headers().firstValue("Vary").orElseThrow());
        assertEquals(EXPECTED, byAccept.body());

        HttpResponse<String> byQuery = server.http.send(HttpRequest.newBuilder(server.uri("/d%20ir/?format=json"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(EXPECTED, byQuery.body());

        HttpResponse<String> browser = server.http.send(HttpRequest.newBuilder(server.uri("/d%20ir/"))
                .header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("text/html; charset=utf-8", browser.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("Accept", browser.headers().firstValue("Vary").orElseThrow());
        assertTrue(browser.headers().firstValue("Content-Security-Policy").orElseThrow()
                .startsWith("default-src 'none'; style-src 'sha256-"));
        assertTrue(browser.body().startsWith("<!DOCTYPE html>"));

        // sorted by size, largest first, as JSON: directories still first
        HttpResponse<String> sorted = server.http.send(HttpRequest.newBuilder(
                server.uri("/d%20ir/?sort=size&order=desc&format=json")).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(sorted.body().indexOf("\"sub\"") < sorted.body().indexOf("say"), sorted.body());
        server.awaitNothingHeld();
    }
}
