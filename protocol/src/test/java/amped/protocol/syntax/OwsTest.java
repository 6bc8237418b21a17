package amped.protocol.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OwsTest {

    // the table writes HTAB as \t and keeps CsvSource from trimming by quoting
    private static String unescape(String s) {
        return s == null ? "" : s.replace("\\t", "\t");
    }

    @ParameterizedTest(name = "[{index}] trim({0}) = {1}")
    @CsvSource(delimiter = '|', value = {
        "''              | ''",
        "' '             | ''",
        "'\\t \\t'       | ''",
        "a               | a",
        "'  a'           | a",
        "'a  '           | a",
        "'\\ta b\\t'     | a b",
        "' a , b '       | 'a , b'",
        // only SP and HTAB are OWS: CR, LF and NBSP stay
        "'\r a'          | '\r a'",
        "'a\n'           | 'a\n'",
        "'\u00A0a'       | '\u00A0a'",
    })
    void trim(String value, String trimmed) {
        assertEquals(unescape(trimmed), Ows.trim(unescape(value)));
    }

    @ParameterizedTest(name = "[{index}] skip({0}, {1}) = {2}")
    @CsvSource(delimiter = '|', value = {
        "''          | 0 | 0",
        "abc         | 0 | 0",
        "'  abc'     | 0 | 2",
        "'a \\t b'   | 1 | 4",
        "'a  '       | 1 | 3",
        "'a  '       | 3 | 3",
    })
    void skip(String value, int from, int expected) {
        assertEquals(expected, Ows.skip(unescape(value), from));
    }

    @ParameterizedTest(name = "[{index}] trimEnd({0}, {1}, {2}) = {3}")
    @CsvSource(delimiter = '|', value = {
        "''          | 0 | 0 | 0",
        "'a  '       | 0 | 3 | 1",
        "'a \\t,'    | 0 | 3 | 1",
        "'   '       | 1 | 3 | 1",
        "'ab'        | 0 | 2 | 2",
    })
    void trimEnd(String value, int from, int to, int expected) {
        assertEquals(expected, Ows.trimEnd(unescape(value), from, to));
    }

    @Property
    void trimmedValuesNeitherStartNorEndWithOws(@ForAll String value) {
        String trimmed = Ows.trim(value);
        assertTrue(value.contains(trimmed));
        if (!trimmed.isEmpty()) {
            assertFalse(Ascii.isWhitespace(trimmed.charAt(0)));
            assertFalse(Ascii.isWhitespace(trimmed.charAt(trimmed.length() - 1)));
        }
        assertEquals(trimmed, Ows.trim(trimmed));
        assertEquals(trimmed, Ows.trim(" \t" + value + "\t "));
    }
}
