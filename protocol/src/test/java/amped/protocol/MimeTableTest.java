package amped.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The loader of the {@code mime.types} resource. */
class MimeTableTest {

    @Test
    void readsExtensionTypeLinesSkippingCommentsAndBlankLines() {
        Map<String, String> table = MimeTypes.parseTable("""
                # a comment
                
                png image/png
                  md\ttext/markdown  \r
                json application/json
                """);
        assertEquals(Map.of("png", "image/png", "md", "text/markdown; charset=utf-8",
                "json", "application/json; charset=utf-8"), table);
    }

    @ParameterizedTest
    @ValueSource(strings = {"png", "png image/png extra", "PNG image/png", "png image/png\npng image/apng"})
    void rejectsMalformedLinesAndRepeatedExtensions(String text) {
        assertThrows(IllegalStateException.class, () -> MimeTypes.parseTable(text));
    }

    @Test
    void theBuiltInResourceLoads() {
        assertEquals(MimeTypes.defaults().extensions().size(),
                MimeTypes.parseTable(new String(readResource(), java.nio.charset.StandardCharsets.UTF_8)).size());
    }

    private static byte[] readResource() {
        try (var in = MimeTypes.class.getResourceAsStream("mime.types")) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
