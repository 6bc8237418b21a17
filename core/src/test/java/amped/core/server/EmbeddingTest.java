package amped.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The README's embedding example, run as written, and the builder around it. */
@Timeout(30)
class EmbeddingTest {

    private static final Path SOURCE = Path.of("src/test/java/amped/core/server/EmbeddingTest.java");
    private static final Path README = Path.of("../README.md");

    @TempDir
    Path dir;

    @Test
    void theReadmeExampleServesAFile() throws Exception {
        Files.writeString(dir.resolve("hello.txt"), "hello, world\n");
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            // README example begins
            try (AmpedServer server = AmpedServer.builder().root(dir).port(0).start()) {
                URI uri = server.uri(); // http://127.0.0.1:<the port picked>/
                HttpClient client = HttpClient.newHttpClient();
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri.resolve("hello.txt")).build(),
                        HttpResponse.BodyHandlers.ofString());
                System.out.println(response.statusCode() + " " + response.body()); // 200 hello, world
            }
            // README example ends
        } finally {
            System.setOut(out);
        }
        assertEquals("200 hello, world\n\n", printed.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
    }

    @Test
    void theReadmeShowsTheCodeThisTestRuns() throws Exception {
        List<String> source = Files.readAllLines(SOURCE);
        List<String> example = source.subList(source.indexOf("            // README example begins") + 1,
                source.indexOf("            // README example ends")).stream().map(String::strip).toList();
        String readme = Files.readString(README);
        int section = readme.indexOf("\n## Embedding\n");
        assertTrue(section >= 0, "the README has an Embedding section");
        int start = readme.indexOf("```java\n", section) + "```java\n".length();
        List<String> shown = readme.substring(start, readme.indexOf("```", start)).lines().map(String::strip).toList();
        assertEquals(example, shown);
    }

    @Test
    void theUriCarriesThePortBoundAndCloseStopsTheServer() throws Exception {
        AmpedServer server = AmpedServer.builder().root(dir).port(0).start();
        try {
            assertTrue(server.port() > 0);
            assertEquals(URI.create("http://127.0.0.1:" + server.port() + "/"), server.uri());
            assertFalse(server.isStopping());
        } finally {
            server.close();
        }
        assertTrue(server.isStopping());
    }

    @Test
    void aBuilderWithoutARootSaysSo() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> AmpedServer.builder().port(0).start());
        assertEquals("no root: call root(directory)", e.getMessage());
    }
}
