package amped.protocol.conditional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EntityTagTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        // value           | weak  | opaque
        "\"xyzzy\"         | false | xyzzy",
        "W/\"xyzzy\"       | true  | xyzzy",
        "\"\"              | false | ''",
        "W/\"\"            | true  | ''",
        "\"a,b\"           | false | a,b",
        "\"!#~\"           | false | !#~",
        "\"W/\"            | false | W/",
        "\"caf\u00e9\u00ff\u0080\" | false | caf\u00e9\u00ff\u0080",
    })
    void parsesOneTag(String value, boolean weak, String opaque) {
        assertEquals(Optional.of(new EntityTag(weak, opaque)), EntityTag.parse(value.strip()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "xyzzy", "\"xyzzy", "xyzzy\"", "w/\"xyzzy\"", "W\"xyzzy\"", "W/xyzzy", " \"xyzzy\"", "\"xyzzy\" ",
        "\"a\"\"b\"", "\"a\",\"b\"", "\"sp ace\"", "\"tab\t\"", "\"ctl\u0001\"", "\"del\u007f\"", "\"wide\u0100\"",
        "\"emoji\ud83d\ude00\"", "*", "W/", "W/\"", "\"",
    })
    void rejectsInvalidTags(String value) {
        assertEquals(Optional.empty(), EntityTag.parse(value));
    }

    @Test
    void rejectsNull() {
        assertEquals(Optional.empty(), EntityTag.parse(null));
    }

    @Test
    void constructorValidatesOpaqueCharacters() {
        assertThrows(IllegalArgumentException.class, () -> EntityTag.strong("a\"b"));
        assertThrows(IllegalArgumentException.class, () -> EntityTag.strong("a b"));
        assertThrows(NullPointerException.class, () -> EntityTag.strong(null));
    }

    @Test
    void headerValue() {
        assertEquals("\"xyz\"", EntityTag.strong("xyz").headerValue());
        assertEquals("W/\"xyz\"", new EntityTag(true, "xyz").headerValue());
        assertEquals("\"\"", EntityTag.strong("").headerValue());
    }

    /** RFC 9110 §8.8.3.2 comparison table. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // a        | b        | strong | weak
        "W/\"1\"    | W/\"1\"  | false  | true",
        "W/\"1\"    | W/\"2\"  | false  | false",
        "W/\"1\"    | \"1\"    | false  | true",
        "\"1\"      | \"1\"    | true   | true",
        "\"1\"      | \"2\"    | false  | false",
        "\"1\"      | W/\"1\"  | false  | true",
    })
    void comparisonFunctions(String a, String b, boolean strong, boolean weak) {
        EntityTag tagA = EntityTag.parse(a.strip()).orElseThrow();
        EntityTag tagB = EntityTag.parse(b.strip()).orElseThrow();
        assertEquals(strong, tagA.strongMatches(tagB));
        assertEquals(strong, tagB.strongMatches(tagA));
        assertEquals(weak, tagA.weakMatches(tagB));
        assertEquals(weak, tagB.weakMatches(tagA));
    }

    @Test
    void nothingMatchesAnAbsentTag() {
        assertFalse(EntityTag.strong("a").strongMatches(null));
        assertFalse(EntityTag.strong("a").weakMatches(null));
        assertTrue(EntityTag.strong("a").weakMatches(EntityTag.strong("a")));
    }

    @Property
    void headerValueParsesBack(@ForAll boolean weak, @ForAll("opaque") String opaque) {
        EntityTag tag = new EntityTag(weak, opaque);
        assertEquals(Optional.of(tag), EntityTag.parse(tag.headerValue()));
    }

    @Property
    void parseNeverThrows(@ForAll String anything) {
        EntityTag.parse(anything);
        EntityTag.parse("\"" + anything + "\"");
    }

    @Provide
    Arbitrary<String> opaque() {
        return Arbitraries.strings()
                .withCharRange((char) 0x23, (char) 0x7E).withChars('!').withCharRange((char) 0x80, (char) 0xFF)
                .ofMaxLength(30);
    }
}
