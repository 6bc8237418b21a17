package amped.protocol.listing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class HtmlPropertyTest {

    private static final Pattern BARE_AMPERSAND = Pattern.compile("&(?!amp;|lt;|gt;|quot;|#39;)");

    @Property
    void outputHasNoMarkupCharactersAndOnlyKnownEntities(@ForAll("anyChars") String text) {
        String escaped = Html.escape(text);
        for (char c : new char[] {'<', '>', '"', '\''}) {
            assertTrue(escaped.indexOf(c) < 0, () -> "raw " + c + " in " + escaped);
        }
        assertFalse(BARE_AMPERSAND.matcher(escaped).find(), escaped);
    }

    @Property
    void outputIsWellFormedAndFreeOfForbiddenCharacters(@ForAll("anyChars") String text) {
        String escaped = Html.escape(text);
        escaped.codePoints().forEach(cp -> {
            assertFalse(cp >= 0xD800 && cp <= 0xDFFF, "lone surrogate in output");
            assertFalse(cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r', "C0 control in output");
            assertFalse(cp >= 0x7F && cp <= 0x9F, "DEL or C1 control in output");
            assertFalse((cp & 0xFFFE) == 0xFFFE || (cp >= 0xFDD0 && cp <= 0xFDEF), "noncharacter");
        });
    }

    @Property
    void unescapingGivesBackTextWithoutForbiddenCharacters(@ForAll("printableText") String text) {
        assertEquals(text, unescape(Html.escape(text)));
    }

    @Property
    void appendEscapedMatchesEscape(@ForAll("anyChars") String text) {
        StringBuilder out = new StringBuilder();
        Html.appendEscaped(out, text);
        assertEquals(Html.escape(text), out.toString());
    }

    /** Any UTF-16 code units at all, lone surrogates included, biased to the interesting ones. */
    @Provide
    static Arbitrary<String> anyChars() {
        Arbitrary<Character> interesting = Arbitraries.of(
                '&', '<', '>', '"', '\'', '\0', '\t', '\n', '\r', '\u007F', '\u0085',
                '\uD83D', '\uDE00', '\uFDD0', '\uFFFE', '\uFFFF', 'a', ';');
        return Arbitraries.oneOf(interesting, Arbitraries.chars())
                .list().ofMaxSize(20)
                .map(HtmlPropertyTest::join);
    }

    /** Text that escaping must keep intact: no controls, surrogates only in pairs, no nonchars. */
    @Provide
    static Arbitrary<String> printableText() {
        return Arbitraries.integers().between(0x20, 0x10FFFF)
                .filter(cp -> !(cp >= 0x7F && cp <= 0x9F) && !(cp >= 0xD800 && cp <= 0xDFFF)
                        && !(cp >= 0xFDD0 && cp <= 0xFDEF) && (cp & 0xFFFE) != 0xFFFE)
                .injectDuplicates(0.1)
                .list().ofMaxSize(15)
                .map(codePoints -> {
                    StringBuilder sb = new StringBuilder();
                    codePoints.forEach(sb::appendCodePoint);
                    return sb.toString();
                });
    }

    private static String join(java.util.List<Character> chars) {
        StringBuilder sb = new StringBuilder(chars.size());
        chars.forEach(sb::append);
        return sb.toString();
    }

    static String unescape(String html) {
        return html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&amp;", "&");
    }
}
