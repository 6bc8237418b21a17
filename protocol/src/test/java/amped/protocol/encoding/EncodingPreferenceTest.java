package amped.protocol.encoding;

import static amped.protocol.encoding.ContentCoding.BROTLI;
import static amped.protocol.encoding.ContentCoding.GZIP;
import static amped.protocol.encoding.ContentCoding.IDENTITY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EncodingPreferenceTest {

    private static String describe(EncodingPreference preference) {
        return preference.order().isEmpty() ? "none"
                : preference.order().stream().map(ContentCoding::token).collect(Collectors.joining(","));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        // absent, empty and useless values: identity only
        "                                        | identity",
        "''                                      | identity",
        "'   '                                   | identity",
        "',,,'                                   | identity",
        "compress, deflate, zstd                 | identity",
        // plain lists; coding names are case-insensitive; x-gzip is gzip
        "gzip                                    | gzip,identity",
        "br                                      | br,identity",
        "gzip, br                                | br,gzip,identity",
        "GZIP, Br                                | br,gzip,identity",
        "x-gzip                                  | gzip,identity",
        "X-Gzip, deflate                         | gzip,identity",
        "', ,gzip,,'                             | gzip,identity",
        "'  gzip  ,\tbr '                        | br,gzip,identity",
        // q-values order the list; ties go to br, then gzip, then identity
        "br;q=0.5, gzip                          | gzip,br,identity",
        "gzip;q=1.0, br;q=0.999                  | gzip,br,identity",
        "gzip;q=0.001                            | gzip,identity",
        "identity;q=1, gzip;q=0.5                | identity,gzip",
        "identity, gzip                          | gzip,identity",
        "identity;q=0.9, br;q=0.9                | br,identity",
        "identity;q=0.5, *;q=0.5                 | br,gzip,identity",
        // RFC 9110 §12.5.3 examples
        "compress, gzip                          | gzip,identity",
        "*                                       | br,gzip,identity",
        "compress;q=0.5, gzip;q=1.0              | gzip,identity",
        "gzip;q=1.0, identity; q=0.5, *;q=0      | gzip,identity",
        "deflate, gzip;q=1.0, *;q=0.5            | gzip,br,identity",
        // the wildcard gives its q to unlisted codings, identity included
        "*;q=0.5, gzip;q=1                       | gzip,br,identity",
        "br;q=0.5, *;q=0.1                       | br,gzip,identity",
        "br;q=0, *                               | gzip,identity",
        "*, identity;q=0                         | br,gzip",
        "*;q=0                                   | none",
        "*;q=0, gzip                             | gzip",
        "*;q=0, identity                         | identity",
        "*;q=0, identity;q=0                     | none",
        // q=0 excludes
        "identity;q=0                            | none",
        "identity;q=0, gzip                      | gzip",
        "gzip;q=0                                | identity",
        "gzip;q=0, br;q=0, identity;q=0          | none",
        // accepted weight syntax
        "gzip;Q=0.5                              | gzip,identity",
        "gzip ; q=0.5                            | gzip,identity",
        "gzip;\tq=0.5                            | gzip,identity",
        "gzip;q=1.                               | gzip,identity",
        "gzip;q=1.000                            | gzip,identity",
        "gzip;q=0.                               | identity",
        "gzip;q=0.000                            | identity",
        "gzip;q=0.5, br;q=0.50                   | br,gzip,identity",
        // invalid members are ignored (and so cannot exclude anything)
        "gzip;q=2                                | identity",
        "gzip;q=1.5                              | identity",
        "gzip;q=1.001                            | identity",
        "gzip;q=0.1234                           | identity",
        "gzip;q=-1                               | identity",
        "gzip;q=.5                               | identity",
        "gzip;q=                                 | identity",
        "gzip;q                                  | identity",
        "gzip;q=0.5x                             | identity",
        "gzip;q =0.5                             | identity",
        "gzip;q= 0.5                             | identity",
        "gzip q=0.5                              | identity",
        "gzip;;q=1                               | identity",
        "gzip;level=1                            | identity",
        "gzip;q=0.5;x=1                          | identity",
        "gzip;q=1, br;q=0.5x                     | gzip,identity",
        "identity;q=O                            | identity",
        "*;q=zero                                | identity",
        "gz ip                                   | identity",
        "\"gzip\"                                | identity",
        // a coding listed twice keeps its lowest q
        "gzip, gzip;q=0                          | identity",
        "gzip;q=0.2, x-gzip;q=0.8, br;q=0.5      | br,gzip,identity",
        "*;q=0.8, *;q=0                          | none",
    })
    void parsesAcceptEncoding(String header, String expected) {
        assertEquals(expected, describe(EncodingPreference.parse(header)));
    }

    @Test
    void absentHeaderNeverOffersACompressedCoding() {
        EncodingPreference preference = EncodingPreference.parse(null);
        assertEquals(List.of(IDENTITY), preference.order());
        assertFalse(preference.accepts(GZIP));
        assertTrue(preference.accepts(IDENTITY));
    }

    @Test
    void orderIsImmutableAndDuplicateFree() {
        EncodingPreference preference = EncodingPreference.parse("gzip, br");
        assertThrows(UnsupportedOperationException.class, () -> preference.order().clear());
        assertThrows(IllegalArgumentException.class, () -> new EncodingPreference(List.of(GZIP, GZIP)));
    }

    @Property
    void parseNeverThrowsAndYieldsDistinctCodings(@ForAll String header) {
        assertWellFormed(EncodingPreference.parse(header));
    }

    @Property
    void withoutWildcardOrIdentityMemberIdentityIsTheLastResort(@ForAll("acceptEncodingWithoutIdentity") String header) {
        List<ContentCoding> order = EncodingPreference.parse(header).order();
        assertFalse(order.isEmpty());
        assertEquals(IDENTITY, order.get(order.size() - 1), header);
    }

    @Property
    void listedCodingsComeOutByDescendingQ(@ForAll("acceptEncodingWithoutIdentity") String header) {
        // independent evaluation: q of each listed coding (lowest q on duplicates), then check the ordering
        List<ContentCoding> order = EncodingPreference.parse(header).order();
        int previousQ = Integer.MAX_VALUE;
        for (ContentCoding coding : order.subList(0, order.size() - 1)) {
            int q = lowestQ(header, coding);
            assertTrue(q > 0 && q <= previousQ, header + " -> " + order);
            previousQ = q;
        }
        for (ContentCoding coding : List.of(BROTLI, GZIP)) {
            int q = lowestQ(header, coding);
            assertEquals(q > 0, order.contains(coding), header + " -> " + order);
        }
    }

    private static int lowestQ(String header, ContentCoding coding) {
        return Arrays.stream(header.split(","))
                .map(String::trim)
                .filter(m -> {
                    String name = m.split(";")[0].trim().toLowerCase(Locale.ROOT);
                    return name.equals(coding.token()) || (coding == GZIP && name.equals("x-gzip"));
                })
                .mapToInt(m -> m.contains("q=") ? Math.round(Float.parseFloat(m.split("q=")[1]) * 1000) : 1000)
                .min().orElse(0);
    }

    private static void assertWellFormed(EncodingPreference preference) {
        List<ContentCoding> order = preference.order();
        assertEquals(order.size(), order.stream().distinct().count());
    }

    @Provide
    Arbitrary<String> acceptEncodingWithoutIdentity() {
        Arbitrary<String> name = Arbitraries.of("br", "gzip", "x-gzip", "GZIP", "deflate", "zstd");
        Arbitrary<String> q = Arbitraries.of("", ";q=1", ";q=0", ";q=0.5", ";q=0.25", ";q=0.001", ";q=1.0", ";q=0.9");
        Arbitrary<String> member = Arbitraries.oneOf(name, name.flatMap(n -> q.map(w -> n + w)));
        return member.list().ofMaxSize(6).map(members -> String.join(", ", members));
    }
}
