package amped.protocol.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokensTest {

    private static final String TCHAR_SPECIALS = "!#$%&'*+-.^_`|~";

    @ParameterizedTest(name = "[{index}] skipToken({0}, {1}) = {2}")
    @CsvSource(delimiter = '|', value = {
        "''                | 0 | 0",
        "gzip              | 0 | 4",
        "'gzip;q=1'        | 0 | 4",
        "'x-gzip, br'      | 0 | 6",
        "'a b'             | 0 | 1",
        "'a b'             | 2 | 3",
        "'*'               | 0 | 1",
        "'!#$%&''*+-.^_`|~' | 0 | 15",
        // separators end a token
        "'a(b'             | 0 | 1",
        "'a\"b'            | 0 | 1",
        "'a/b'             | 0 | 1",
        "'a=b'             | 0 | 1",
        "'ä'               | 0 | 0",
    })
    void skipToken(String value, int from, int expected) {
        assertEquals(expected, Tokens.skipToken(value, from));
    }

    @ParameterizedTest(name = "[{index}] skipQuotedString({0}, {1}) = {2}")
    @CsvSource(delimiter = '|', value = {
        "'\"\"'            | 0 | 2",
        "'\"abc\"'         | 0 | 5",
        "'\"a b\"; x'      | 0 | 5",
        "'x=\"v\"'         | 2 | 5",
        "'\"a\\\"b\"'      | 0 | 6",
        "'\"a\\\\\"'       | 0 | 5",
        "'\"a,b\"'         | 0 | 5",
        "'\"\u00E9\"'      | 0 | 3",
        // not closed, a bad escape, a control character
        "'\"abc'           | 0 | -1",
        "'\"abc\\\"'       | 0 | -1",
        "'\"a\u0001\"'     | 0 | -1",
        "'\"a\u007F\"'     | 0 | -1",
        "'\"a\u0100\"'     | 0 | -1",
    })
    void skipQuotedString(String value, int openingQuote, int expected) {
        assertEquals(expected, Tokens.skipQuotedString(value, openingQuote));
    }

    @Property
    void charAndByteTcharAgree(@ForAll char c) {
        boolean expected = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                || TCHAR_SPECIALS.indexOf(c) >= 0;
        assertEquals(expected, Ascii.isTchar(c));
        if (c < 256) {
            assertEquals(expected, Ascii.isTchar((byte) c));
        }
    }
}
