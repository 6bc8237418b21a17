package amped.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class MimeTypesPropertyTest {

    private static final MimeTypes DEFAULTS = MimeTypes.defaults();

    @Property
    void alwaysAnswersWithAKnownTypeOrOctetStream(@ForAll String fileName) {
        Set<String> known = new HashSet<>();
        DEFAULTS.extensions().forEach(ext -> known.add(DEFAULTS.contentType("f." + ext)));
        String type = DEFAULTS.contentType(fileName);
        assertTrue(type.equals(MimeTypes.OCTET_STREAM) || known.contains(type), type);
    }

    @Property
    void onlyTheLastSegmentMatters(@ForAll String directories, @ForAll("names") String name) {
        assertEquals(DEFAULTS.contentType(name), DEFAULTS.contentType(directories + "/" + name));
    }

    @Property
    void extensionCaseDoesNotMatter(
            @ForAll("extensions") String extension, @ForAll("caseMasks") List<Boolean> upper,
            @ForAll("stems") String stem) {
        StringBuilder mixed = new StringBuilder();
        for (int i = 0; i < extension.length(); i++) {
            char c = extension.charAt(i);
            mixed.append(i < upper.size() && upper.get(i) ? Character.toUpperCase(c) : c);
        }
        assertEquals(DEFAULTS.contentType("f." + extension), DEFAULTS.contentType(stem + "." + mixed));
    }

    @Property
    void overridesEitherWorkOrFailWithAOneLineMessage(
            @ForAll("typeLikeStrings") String type, @ForAll("extensions") String extension) {
        MimeTypes types;
        try {
            types = DEFAULTS.withOverride(extension, type);
        } catch (IllegalArgumentException e) {
            assertFalse(e.getMessage().chars().anyMatch(Character::isISOControl), e.getMessage());
            assertTrue(e.getMessage().startsWith("invalid media type \""), e.getMessage());
            return;
        }
        String value = types.contentType("x." + extension);
        assertFalse(value.chars().anyMatch(Character::isISOControl), value);
        // the override is the essence as given (lowercased) plus what followed it
        String essence = value.contains(";") ? value.substring(0, value.indexOf(';')) : value;
        assertTrue(type.strip().toLowerCase(java.util.Locale.ROOT).startsWith(essence), type + " -> " + value);
        assertEquals(value, DEFAULTS.withOverride("." + extension.toUpperCase(java.util.Locale.ROOT), type)
                .contentType("x." + extension));
    }

    @Property
    void parseOverrideAgreesWithWithOverride(
            @ForAll("extensions") String extension, @ForAll("typeLikeStrings") String type) {
        String viaDirect;
        try {
            viaDirect = DEFAULTS.withOverride(extension, type).contentType("x." + extension);
        } catch (IllegalArgumentException e) {
            return;
        }
        var entry = MimeTypes.parseOverride(extension + "=" + type);
        assertEquals(viaDirect, DEFAULTS.withOverride(entry.getKey(), entry.getValue()).contentType("x." + extension));
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.strings().excludeChars('/').ofMaxLength(12);
    }

    /** A non-empty stem, so the name is not a bare dotfile. */
    @Provide
    Arbitrary<String> stems() {
        return Arbitraries.strings().excludeChars('/').ofMinLength(1).ofMaxLength(12);
    }

    @Provide
    Arbitrary<String> extensions() {
        return Arbitraries.of(new ArrayList<>(DEFAULTS.extensions()));
    }

    @Provide
    Arbitrary<List<Boolean>> caseMasks() {
        return Arbitraries.of(true, false).list().ofMaxSize(12);
    }

    /** Mostly near-valid media types, so both the accepting and rejecting paths are exercised. */
    @Provide
    Arbitrary<String> typeLikeStrings() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.of("text", "Application", "image", "x", "", "vnd.a+json", "svg+xml", "plain"),
                Arbitraries.strings().withChars("abc/;=\" \t\\,é\n").ofMaxLength(3));
        Arbitrary<String> separator = Arbitraries.of("/", ";", "=", "; ", " ", "\"", "; charset=", "");
        return Combinators.combine(piece, separator, piece, separator, piece)
                .as((a, b, c, d, e) -> a + b + c + d + e)
                .withoutEdgeCases(); // their cross product would crowd out random tries
    }
}
