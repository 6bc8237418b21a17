package amped.protocol.conditional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EntityTagConditionTest {

    /** Expected tags written as their header values separated by spaces, e.g. {@code "a" W/"b"}. */
    private static EntityTagCondition tags(String spaceSeparated) {
        List<EntityTag> tags = spaceSeparated.isBlank() ? List.of() : Arrays.stream(spaceSeparated.split(" "))
                .map(t -> EntityTag.parse(t).orElseThrow())
                .toList();
        return new EntityTagCondition.Tags(tags);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "'\"xyzzy\"'                         | '\"xyzzy\"'",
        "'\"xyzzy\", \"r2d2xxxx\", \"c3piozzzz\"' | '\"xyzzy\" \"r2d2xxxx\" \"c3piozzzz\"'",
        "'W/\"a\",\"b\"'                     | 'W/\"a\" \"b\"'",
        "'  \"a\"  ,  W/\"b\"  '             | '\"a\" W/\"b\"'",
        "'\"a\"\t,\t\"b\"'                   | '\"a\" \"b\"'",
        "', ,\"a\",,  ,\"b\",'               | '\"a\" \"b\"'",
        "'\"a,b\", \"c\"'                    | '\"a,b\" \"c\"'",
        "'\"\"'                              | '\"\"'",
        "''                                  | ''",
        "' , , '                             | ''",
    })
    void parsesTagLists(String value, String expected) {
        assertEquals(Optional.of(tags(expected)), EntityTagCondition.parse(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", " *", "* ", "\t*\t"})
    void parsesStar(String value) {
        assertEquals(Optional.of(new EntityTagCondition.Any()), EntityTagCondition.parse(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "xyzzy", "\"a\", xyzzy", "\"a\" \"b\"", "\"a\"\"b\"", "\"a\";q=1", "*, \"a\"", "\"a\", *", "**", "* *",
        "\"unterminated", "\"a\", \"b", "w/\"a\"", "\"sp ace\"", "\"a\" x", "W/ \"a\"",
    })
    void anInvalidMemberInvalidatesTheWholeField(String value) {
        assertEquals(Optional.empty(), EntityTagCondition.parse(value));
    }

    @Test
    void nullIsNotACondition() {
        assertEquals(Optional.empty(), EntityTagCondition.parse(null));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        // field                | current    | strong | weak
        "'*'                    | '\"x\"'    | true   | true",
        "'*'                    |            | true   | true",
        "'\"x\"'                | '\"x\"'    | true   | true",
        "'W/\"x\"'              | '\"x\"'    | false  | true",
        "'\"x\"'                | 'W/\"x\"'  | false  | true",
        "'\"a\", \"x\"'         | '\"x\"'    | true   | true",
        "'\"a\", W/\"x\"'       | '\"x\"'    | false  | true",
        "'\"a\", \"b\"'         | '\"x\"'    | false  | false",
        "'\"x\"'                |            | false  | false",
        "''                     | '\"x\"'    | false  | false",
    })
    void matching(String field, String current, boolean strong, boolean weak) {
        EntityTag currentTag = current == null ? null : EntityTag.parse(current).orElseThrow();
        EntityTagCondition condition = EntityTagCondition.parse(field).orElseThrow();
        assertEquals(strong, condition.anyStrongMatch(currentTag));
        assertEquals(weak, condition.anyWeakMatch(currentTag));
    }

    @Test
    void tagListIsImmutable() {
        EntityTagCondition.Tags tags = (EntityTagCondition.Tags) EntityTagCondition.parse("\"a\"").orElseThrow();
        assertThrows(UnsupportedOperationException.class, () -> tags.tags().clear());
    }

    @Property
    void parseNeverThrows(@ForAll String anything) {
        EntityTagCondition.parse(anything);
        EntityTagCondition.parse("\"a\", " + anything);
    }

    @Property
    void listsOfValidTagsRoundTrip(@ForAll List<@net.jqwik.api.constraints.AlphaChars String> opaques,
            @ForAll boolean weak) {
        List<EntityTag> expected = opaques.stream().map(o -> new EntityTag(weak, o)).toList();
        String field = String.join(" , ", expected.stream().map(EntityTag::headerValue).toList());
        Optional<EntityTagCondition> parsed = EntityTagCondition.parse(field);
        assertTrue(parsed.isPresent(), field);
        assertEquals(new EntityTagCondition.Tags(expected), parsed.get());
    }
}
