package amped.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfiguredFieldTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "X-Frame-Options: DENY                      | X-Frame-Options           | DENY",
        "X-Frame-Options:DENY                       | X-Frame-Options           | DENY",
        "Permissions-Policy: camera=(), mic=()      | Permissions-Policy        | camera=(), mic=()",
        "Strict-Transport-Security:  max-age=63072000  | Strict-Transport-Security | max-age=63072000",
        "X-Empty:                                   | X-Empty                   | ''",
        "Access-Control-Allow-Origin: https://a.example | Access-Control-Allow-Origin | https://a.example",
        "X-Latin1: caf\u00e9                        | X-Latin1                  | caf\u00e9",
    })
    void accepts(String spec, String name, String value) {
        assertEquals(new ConfiguredField(name, value.equals("''") ? "" : value), ConfiguredField.parse(spec));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "X-Frame-Options DENY           | no colon",
        ": DENY                         | must be a token",
        "X Frame: DENY                  | must be a token",
        "X-Frame\u00e9: DENY            | must be a token",
        "X-A: b\\rX-Evil: 1             | control character",
        "X-A: b\\nX-Evil: 1             | control character",
        "X-A: b\u0000c                  | control character",
        "X-A: snow\u2603man             | outside Latin-1",
        "Content-Length: 5              | frames the message",
        "transfer-encoding: chunked     | frames the message",
        "Connection: close              | frames the message",
        "Keep-Alive: timeout=5          | frames the message",
        "Upgrade: h2c                   | frames the message",
        "Content-Type: text/plain       | amped sets Content-Type",
        "ETag: \"x\"                    | amped sets ETag",
        "Server: nginx                  | amped sets Server",
        "Date: today                    | amped sets Date",
        "Cache-Control: no-store        | use --cache-control",
        "WWW-Authenticate: Basic        | amped sets WWW-Authenticate",
    })
    void refusesWithAReason(String cell, String reason) {
        // a CSV cell holds no line break: \\r and \\n stand for CR and LF
        String spec = cell.replace("\\r", "\r").replace("\\n", "\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConfiguredField.parse(spec));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void aNameWithAColonIsRefusedRatherThanSplit() {
        assertThrows(IllegalArgumentException.class, () -> ConfiguredField.of("X-A:B", "v"));
        assertEquals(new ConfiguredField("X-A", "v"), ConfiguredField.of("X-A", " v "));
    }

    /** Whatever a value holds, a field that is accepted can never add a line to a response. */
    @Property
    void anAcceptedFieldIsOneLine(@ForAll @CharRange(from = 0, to = 0x17F) String value) {
        ConfiguredField f;
        try {
            f = ConfiguredField.parse("X-Any: " + value);
        } catch (IllegalArgumentException refused) {
            return;
        }
        ResponseHead head = new ResponseHead().start(200).header(f.name(), f.value());
        assertEquals(2, head.toString().split("\r\n", -1).length - 1, head.toString());
        assertTrue(f.value().chars().noneMatch(c -> c == '\r' || c == '\n' || c == 0));
    }
}
