package amped.protocol.ranges;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MultipartByterangesTest {

    private static final byte[] CONTENT = "0123456789abcdefghijklmnopqrstuvwxyz".getBytes(StandardCharsets.US_ASCII);

    /** What the independent parser found in one body part. */
    record ParsedPart(Map<String, String> headers, byte[] data) {
    }

    /** Writes the body exactly as the server would: each head, then that range's bytes, then the trailer. */
    private static byte[] assemble(MultipartByteranges body, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (MultipartByteranges.Part part : body.parts()) {
            out.writeBytes(part.head());
            out.write(content, (int) part.range().first(), (int) part.range().length());
        }
        out.writeBytes(body.trailer());
        return out.toByteArray();
    }

    /**
     * A deliberately simple RFC 2046 parser, independent of the production code: the body must be
     * [preamble] CRLF? "--" boundary ... with each delimiter preceded by CRLF, ending in "--" boundary "--" CRLF.
     */
    private static List<ParsedPart> parse(byte[] body, String boundary) {
        byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        int pos = indexOf(body, delimiter, 0);
        assertEquals(0, pos, "empty preamble, body starts with CRLF--boundary");
        pos += delimiter.length;
        List<ParsedPart> parts = new ArrayList<>();
        while (true) {
            if (body[pos] == '-' && body[pos + 1] == '-') {
                assertEquals("--\r\n", new String(body, pos, body.length - pos, StandardCharsets.US_ASCII),
                        "close delimiter then nothing (empty epilogue)");
                return parts;
            }
            assertEquals('\r', body[pos]);
            assertEquals('\n', body[pos + 1]);
            pos += 2;
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), pos);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line : new String(body, pos, headersEnd - pos, StandardCharsets.US_ASCII).split("\r\n")) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).toLowerCase(), line.substring(colon + 1).strip());
            }
            int dataStart = headersEnd + 4;
            int next = indexOf(body, delimiter, dataStart);
            assertTrue(next >= 0, "every part is followed by a delimiter");
            parts.add(new ParsedPart(headers, Arrays.copyOfRange(body, dataStart, next)));
            pos = next + delimiter.length;
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Checks every part's Content-Range against its data and the original content. */
    private static void assertPartsMatch(List<ParsedPart> parsed, List<ByteRange> ranges, byte[] content,
            String contentType) {
        assertEquals(ranges.size(), parsed.size());
        for (int i = 0; i < ranges.size(); i++) {
            ParsedPart part = parsed.get(i);
            ByteRange range = ranges.get(i);
            assertEquals(contentType, part.headers().get("content-type"));
            String contentRange = part.headers().get("content-range");
            String[] fields = contentRange.substring("bytes ".length()).split("[-/]");
            int first = Integer.parseInt(fields[0]);
            int last = Integer.parseInt(fields[1]);
            assertEquals(range, new ByteRange(first, last));
            assertEquals(content.length, Integer.parseInt(fields[2]));
            assertArrayEquals(Arrays.copyOfRange(content, first, last + 1), part.data());
        }
    }

    @Test
    void exactWireFormat() {
        MultipartByteranges body = MultipartByteranges.of("THIS_STRING_SEPARATES", "text/plain",
                List.of(new ByteRange(0, 3), new ByteRange(10, 12)), CONTENT.length);

        assertEquals("multipart/byteranges; boundary=THIS_STRING_SEPARATES", body.contentTypeHeaderValue());
        assertEquals("\r\n--THIS_STRING_SEPARATES\r\nContent-Type: text/plain\r\nContent-Range: bytes 0-3/36\r\n\r\n",
                new String(body.parts().get(0).head(), StandardCharsets.US_ASCII));
        assertEquals("\r\n--THIS_STRING_SEPARATES\r\nContent-Type: text/plain\r\nContent-Range: bytes 10-12/36\r\n\r\n",
                new String(body.parts().get(1).head(), StandardCharsets.US_ASCII));
        assertEquals("\r\n--THIS_STRING_SEPARATES--\r\n", new String(body.trailer(), StandardCharsets.US_ASCII));

        String expected = "\r\n--THIS_STRING_SEPARATES\r\nContent-Type: text/plain\r\nContent-Range: bytes 0-3/36\r\n\r\n"
                + "0123"
                + "\r\n--THIS_STRING_SEPARATES\r\nContent-Type: text/plain\r\nContent-Range: bytes 10-12/36\r\n\r\n"
                + "abc"
                + "\r\n--THIS_STRING_SEPARATES--\r\n";
        byte[] assembled = assemble(body, CONTENT);
        assertEquals(expected, new String(assembled, StandardCharsets.US_ASCII));
        assertEquals(expected.length(), body.contentLength());
    }

    @Test
    void roundTripsThroughAnIndependentParser() {
        List<ByteRange> ranges = List.of(new ByteRange(0, 0), new ByteRange(5, 9), new ByteRange(30, 35));
        MultipartByteranges body = MultipartByteranges.of("b0und4ry", "application/octet-stream", ranges,
                CONTENT.length);
        byte[] assembled = assemble(body, CONTENT);
        assertEquals(assembled.length, body.contentLength());
        assertPartsMatch(parse(assembled, "b0und4ry"), ranges, CONTENT, "application/octet-stream");
    }

    @Test
    void withoutContentTypeThePartsCarryOnlyContentRange() {
        MultipartByteranges body = MultipartByteranges.of("x", null,
                List.of(new ByteRange(1, 2), new ByteRange(4, 4)), CONTENT.length);
        assertEquals("\r\n--x\r\nContent-Range: bytes 1-2/36\r\n\r\n",
                new String(body.parts().get(0).head(), StandardCharsets.US_ASCII));
        List<ParsedPart> parsed = parse(assemble(body, CONTENT), "x");
        assertNull(parsed.get(0).headers().get("content-type"));
        assertPartsMatch(parsed, body.parts().stream().map(MultipartByteranges.Part::range).toList(), CONTENT, null);
    }

    @Test
    void partsAndTrailerCannotBeModifiedFromOutside() {
        MultipartByteranges body = MultipartByteranges.of("abc", "text/plain",
                List.of(new ByteRange(0, 1), new ByteRange(3, 4)), 10);
        long length = body.contentLength();
        body.parts().get(0).head()[0] = 'X';
        body.trailer()[0] = 'X';
        assertEquals('\r', body.parts().get(0).head()[0]);
        assertEquals('\r', body.trailer()[0]);
        assertThrows(UnsupportedOperationException.class, () -> body.parts().clear());
        assertEquals(length, body.contentLength());
    }

    @Test
    void partEqualityIsByContent() {
        MultipartByteranges.Part a = new MultipartByteranges.Part(new byte[] {1, 2}, new ByteRange(0, 0));
        MultipartByteranges.Part b = new MultipartByteranges.Part(new byte[] {1, 2}, new ByteRange(0, 0));
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, new MultipartByteranges.Part(new byte[] {1, 3}, new ByteRange(0, 0)));
        assertEquals(3, a.length());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "quote\"", "semi;colon", "crlf\r\n", "ümlaut",
        "12345678901234567890123456789012345678901234567890123456789012345678901"})
    void rejectsUnsafeBoundaries(String boundary) {
        assertThrows(IllegalArgumentException.class,
                () -> MultipartByteranges.of(boundary, "text/plain", List.of(new ByteRange(0, 0)), 10));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "text/plain\r\nX-Injected: yes", "text/plain\n", "text/\u0000plain", "tëxt/plain"})
    void rejectsContentTypesThatCouldBreakTheHeader(String contentType) {
        assertThrows(IllegalArgumentException.class,
                () -> MultipartByteranges.of("abc", contentType, List.of(new ByteRange(0, 0)), 10));
    }

    @Test
    void rejectsNoRangesAndRangesOutsideTheRepresentation() {
        assertThrows(IllegalArgumentException.class, () -> MultipartByteranges.of("abc", "text/plain", List.of(), 10));
        assertThrows(IllegalArgumentException.class,
                () -> MultipartByteranges.of("abc", "text/plain", List.of(new ByteRange(5, 10)), 10));
    }

    @Test
    void randomBoundariesAreAlphanumericOfBoundedLengthAndVary() {
        SplittableRandom random = new SplittableRandom(42);
        Set<String> seen = new HashSet<>();
        Set<Integer> lengths = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            String boundary = MultipartByteranges.randomBoundary(random);
            assertTrue(boundary.length() >= 24 && boundary.length() <= 40, boundary);
            assertTrue(boundary.matches("[0-9A-Za-z]+"), boundary);
            lengths.add(boundary.length());
            seen.add(boundary);
        }
        assertEquals(2000, seen.size());
        assertEquals(17, lengths.size(), "every length 24..40 occurs");
    }

    @Test
    void randomBoundaryIsDeterministicForAGivenGenerator() {
        assertEquals(MultipartByteranges.randomBoundary(new SplittableRandom(7)),
                MultipartByteranges.randomBoundary(new SplittableRandom(7)));
        assertFalse(MultipartByteranges.randomBoundary(new SplittableRandom(7))
                .equals(MultipartByteranges.randomBoundary(new SplittableRandom(8))));
    }

    @Property(tries = 300)
    void anyRangeDecisionAssemblesToItsDeclaredLengthAndParsesBack(
            @ForAll @IntRange(min = 1, max = 2000) int contentLength,
            @ForAll @LongRange(min = 0) long seed) {
        Random random = new Random(seed);
        byte[] content = new byte[contentLength];
        random.nextBytes(content);
        StringBuilder header = new StringBuilder("bytes=");
        int specs = 2 + random.nextInt(6);
        for (int i = 0; i < specs; i++) {
            int first = random.nextInt(contentLength);
            header.append(i == 0 ? "" : ",").append(first).append('-').append(first + random.nextInt(50));
        }
        RangeDecision decision = RangeRequests.evaluate(header.toString(), contentLength);
        if (!(decision instanceof RangeDecision.Multiple multiple)) {
            return;
        }
        String boundary = MultipartByteranges.randomBoundary(random);
        MultipartByteranges body = MultipartByteranges.of(boundary, "application/octet-stream",
                multiple.ranges(), contentLength);
        byte[] assembled = assemble(body, content);
        assertEquals(assembled.length, body.contentLength());
        assertPartsMatch(parse(assembled, boundary), multiple.ranges(), content, "application/octet-stream");
    }
}
