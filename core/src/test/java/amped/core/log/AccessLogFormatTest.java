package amped.core.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccessLogFormatTest {

    private static final long T = 1_700_000_000_123L;

    private static AccessRecord record(String target, String referer, String agent) {
        return new AccessRecord("127.0.0.1", T, "GET", target, "HTTP/1.1", 206, 1234, referer, agent, 17, false);
    }

    private static String clfTime() {
        return DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT)
                .format(ZonedDateTime.ofInstant(java.time.Instant.ofEpochMilli(T), ZoneId.systemDefault()));
    }

    @Test
    void combinedIsTheCombinedLogFormatWithTheRequestTimeAppended() {
        String line = AccessLogFormat.COMBINED.format(record("/a/b.iso?x=1", "http://ref/", "curl/8.0"));
        assertEquals("127.0.0.1 - - [" + clfTime() + "] \"GET /a/b.iso?x=1 HTTP/1.1\" 206 1234 \"http://ref/\" \"curl/8.0\" 17\n", line);
    }

    @Test
    void combinedWritesDashesForWhatIsMissing() {
        AccessRecord unparsed = new AccessRecord("10.0.0.1", T, null, null, null, 400, 0, null, null, 0, false);
        assertEquals("10.0.0.1 - - [" + clfTime() + "] \"-\" 400 - \"-\" \"-\" 0\n", AccessLogFormat.COMBINED.format(unparsed));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "`say \"hi\"`|`say \\x22hi\\x22`",
        "`back\\slash`|`back\\x5Cslash`",
        "`tab\there`|`tab\\x09here`",
        "`new\nline`|`new\\x0Aline`",
        "`esc\u001b[31m`|`esc\\x1B[31m`",
        "`del\u007f`|`del\\x7F`",
        "`latin1 \u00e9`|`latin1 \\xE9`",
    })
    void combinedEscapesQuotesBackslashesAndControlCharactersSoNoLineCanBeForged(String raw, String escaped) {
        String line = AccessLogFormat.COMBINED.format(record("/" + raw, raw, raw));
        assertTrue(line.contains("\"GET /" + escaped + " HTTP/1.1\""), line);
        assertTrue(line.endsWith("\"" + escaped + "\" \"" + escaped + "\" 17\n"), line);
        assertEquals(1, line.chars().filter(c -> c == '\n').count());
        // exactly the six quotes of the format itself
        assertEquals(6, line.chars().filter(c -> c == '"').count(), line);
    }

    @Test
    void jsonIsOneObjectPerLineWithEveryField() {
        String line = AccessLogFormat.JSON.format(new AccessRecord("::1", T, "HEAD", "/x", "HTTP/1.0", 200, 0, null,
                "agent", 3, true));
        assertEquals("{\"time\":\"2023-11-14T22:13:20.123Z\",\"remote\":\"::1\",\"method\":\"HEAD\",\"target\":\"/x\","
                + "\"protocol\":\"HTTP/1.0\",\"status\":200,\"bytes\":0,\"referer\":null,\"user_agent\":\"agent\","
                + "\"duration_ms\":3,\"aborted\":true}\n", line);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "`say \"hi\"`|`say \\\"hi\\\"`",
        "`back\\slash`|`back\\\\slash`",
        "`new\nline`|`new\\nline`",
        "`cr\rtab\t`|`cr\\rtab\\t`",
        "`bell\u0007`|`bell\\u0007`",
        "`del\u007f`|`del\\u007F`",
        "`c1\u0085`|`c1\\u0085`",
        "`lone \ud800 surrogate`|`lone \\uD800 surrogate`",
        "`emoji \ud83d\ude00 ok`|`emoji \ud83d\ude00 ok`",
    })
    void jsonEscapesPerRfc8259(String raw, String escaped) {
        String line = AccessLogFormat.JSON.format(record(raw, null, raw));
        assertTrue(line.contains("\"target\":\"" + escaped + "\""), line);
        assertTrue(line.contains("\"user_agent\":\"" + escaped + "\""), line);
        assertFalse(line.substring(0, line.length() - 1).contains("\n"));
    }

    @Test
    void formatsAreChosenByName() {
        assertEquals(AccessLogFormat.JSON, AccessLogFormat.parse("JSON"));
        assertEquals(AccessLogFormat.COMBINED, AccessLogFormat.parse("combined"));
        assertThrows(IllegalArgumentException.class, () -> AccessLogFormat.parse("xml"));
    }
}
