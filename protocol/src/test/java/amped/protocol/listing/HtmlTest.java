package amped.protocol.listing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HtmlTest {

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', emptyValue = "", quoteCharacter = '`', textBlock = """
            ``                         | ``
            plain                      | plain
            &                          | &amp;
            <script>alert(1)</script>  | &lt;script&gt;alert(1)&lt;/script&gt;
            "double" 'single'          | &quot;double&quot; &#39;single&#39;
            a b&<c>.txt                | a b&amp;&lt;c&gt;.txt
            &amp;                      | &amp;amp;
            naïve 日本 😀               | naïve 日本 😀
            """)
    void escapesMarkupCharacters(String text, String expected) {
        assertEquals(expected, Html.escape(text));
    }

    @ParameterizedTest(name = "[{index}] U+{0} -> U+{1}")
    @CsvSource({
            // NUL, other C0 controls and DEL are replaced
            "0000, FFFD", "0001, FFFD", "0008, FFFD", "000B, FFFD", "000C, FFFD", "001B, FFFD",
            "001F, FFFD", "007F, FFFD",
            // TAB, LF and CR are HTML whitespace and stay
            "0009, 0009", "000A, 000A", "000D, 000D",
            // C1 controls are replaced, the first non-control after them is kept
            "0080, FFFD", "0085, FFFD", "009F, FFFD", "00A0, 00A0",
            // lone surrogates are replaced
            "D800, FFFD", "DBFF, FFFD", "DC00, FFFD", "DFFF, FFFD",
            // noncharacters are replaced; their neighbours are kept
            "FDCF, FDCF", "FDD0, FFFD", "FDEF, FFFD", "FDF0, FDF0", "FFFD, FFFD", "FFFE, FFFD",
            "FFFF, FFFD",
    })
    void replacesCharactersHtmlForbids(String input, String expected) {
        String text = "x" + (char) Integer.parseInt(input, 16) + "y";
        assertEquals("x" + (char) Integer.parseInt(expected, 16) + "y", Html.escape(text));
    }

    @ParameterizedTest(name = "[{index}] U+{0}")
    @CsvSource({"1F600, true", "10000, true", "1FFFD, true", "1FFFE, false", "10FFFF, false", "2FFFF, false"})
    void keepsSurrogatePairsButNotSupplementaryNoncharacters(String codePoint, boolean kept) {
        String ch = Character.toString(Integer.parseInt(codePoint, 16));
        assertEquals(kept ? "a" + ch + "b" : "a\uFFFDb", Html.escape("a" + ch + "b"));
    }

    @Test
    void reversedSurrogatePairIsTwoLoneSurrogates() {
        assertEquals("\uFFFD\uFFFD", Html.escape("\uDE00\uD83D"));
        assertEquals("a\uFFFD", Html.escape("a\uD83D"));
    }

    @Test
    void returnsSameInstanceWhenNothingToEscape() {
        String plain = "Nothing to see here: 日本 😀";
        assertSame(plain, Html.escape(plain));
    }

    @Test
    void appendEscapedAppends() {
        StringBuilder out = new StringBuilder("<p>");
        Html.appendEscaped(out, "a<b");
        Html.appendEscaped(out, "ok");
        assertEquals("<p>a&lt;bok", out.toString());
    }
}
