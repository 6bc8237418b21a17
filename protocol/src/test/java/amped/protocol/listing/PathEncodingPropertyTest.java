package amped.protocol.listing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class PathEncodingPropertyTest {

    /** RFC 3986 segment characters the encoder is allowed to leave raw, or a %XX escape. */
    private static final Pattern ENCODED_SEGMENT =
            Pattern.compile("(?:[A-Za-z0-9\\-._~!$()*,=:@]|%[0-9A-F]{2})*");

    @Property
    void segmentRoundTripsThroughPercentDecoding(@ForAll("wellFormedStrings") String segment) {
        assertEquals(segment, PercentDecoder.decode(PathEncoding.encodeSegment(segment)));
    }

    @Property
    void segmentUsesOnlySafeCharactersAndEscapes(@ForAll String segment) {
        String encoded = PathEncoding.encodeSegment(segment);
        assertTrue(ENCODED_SEGMENT.matcher(encoded).matches(), encoded);
    }

    @Property
    void pathIsItsSegmentsEncodedAndJoined(@ForAll("pathsWithSlashes") String path) {
        StringBuilder expected = new StringBuilder();
        String[] segments = path.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                expected.append('/');
            }
            expected.append(PathEncoding.encodeSegment(segments[i]));
        }
        assertEquals(expected.toString(), PathEncoding.encodePath(path));
        assertEquals(path, PercentDecoder.decode(PathEncoding.encodePath(path)));
    }

    /** Strings of any code points except surrogate code points (which UTF-8 can't carry). */
    @Provide
    static Arbitrary<String> wellFormedStrings() {
        return Arbitraries.integers().between(0, 0x10FFFF)
                .filter(cp -> cp < 0xD800 || cp > 0xDFFF)
                .list().ofMaxSize(12)
                .map(codePoints -> {
                    StringBuilder sb = new StringBuilder();
                    codePoints.forEach(sb::appendCodePoint);
                    return sb.toString();
                });
    }

    @Provide
    static Arbitrary<String> pathsWithSlashes() {
        Arbitrary<String> pieces = Arbitraries.oneOf(
                wellFormedStrings(), Arbitraries.of("/", "//", "a/", "/ b", "%/?", "日/本"));
        return pieces.list().ofMaxSize(6).map(list -> String.join("", list));
    }
}
