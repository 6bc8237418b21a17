package amped.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amped.protocol.RequestTarget.InvalidTargetException;
import amped.protocol.listing.PathEncoding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestTargetTest {

    /** The segments a path must have: its non-empty parts between slashes. */
    private static List<String> segmentsOf(String path) {
        return Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1} ? {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', nullValues = "NULL", value = {
        // origin-form
        "/                                  | /                 | NULL",
        "/index.html                        | /index.html       | NULL",
        "/a/b/c.txt                         | /a/b/c.txt        | NULL",
        "/a/b/                              | /a/b/             | NULL",
        "/a%20b                             | /a b              | NULL",
        "/a+b                               | /a+b              | NULL",
        "/%7Euser/%7euser                   | /~user/~user      | NULL",
        "/a%3Fb                             | /a?b              | NULL",
        "/a%23b                             | /a#b              | NULL",
        "/a%25                              | /a%               | NULL",
        "/a%2541                            | /a%41             | NULL",
        "/a;p=1/b:c@d!$&'()*,=              | /a;p=1/b:c@d!$&'()*,= | NULL",
        // the query is kept raw, whatever it holds
        "/a?x=1&y=%2F                       | /a                | x=1&y=%2F",
        "/a?                                | /a                | \"\"",
        "/?q                                | /                 | q",
        "/a?b?c=/../%00                     | /a                | b?c=/../%00",
        "/a/?%zz                            | /a/               | %zz",
        // absolute-form (RFC 9112 §3.2.2)
        "http://example.com/a/b?c           | /a/b              | c",
        "HTTPS://example.com:8443/x         | /x                | NULL",
        "http://example.com                 | /                 | NULL",
        "http://example.com?q=1             | /                 | q=1",
        "http://example.com/                | /                 | NULL",
        "http://h/a/../b/%2e%2e/c           | /c                | NULL",
        "HtTp://h/%C3%A9                    | /\u00e9           | NULL",
        // dot-segments, removed after decoding (RFC 3986 §5.2.4)
        "/a/./b/../c                        | /a/c              | NULL",
        "/a/%2e%2e/b                        | /b                | NULL",
        "/a/%2E%2E/b                        | /b                | NULL",
        "/a/%2E./b                          | /b                | NULL",
        "/a/.%2e/b                          | /b                | NULL",
        "/a/%2e/b                           | /a/b              | NULL",
        "/a/b/%2e%2e/%2e%2e/c               | /c                | NULL",
        "/a/..                              | /                 | NULL",
        "/a/../                             | /                 | NULL",
        "/./a                               | /a                | NULL",
        "/.                                 | /                 | NULL",
        "/...                               | /...              | NULL",
        "/%2e%2e%2e                         | /...              | NULL",
        "/.a/..b/a..                        | /.a/..b/a..       | NULL",
        "/.well-known/x                     | /.well-known/x    | NULL",
        // directories keep their trailing slash
        "/a/                                | /a/               | NULL",
        "/a/.                               | /a/               | NULL",
        "/a/b/..                            | /a/               | NULL",
        "/a/./                              | /a/               | NULL",
        "/a/b/../                           | /a/               | NULL",
        "/a/%2e                             | /a/               | NULL",
        // empty segments merge
        "//a//b                             | /a/b              | NULL",
        "/a//                               | /a/               | NULL",
        "///                                | /                 | NULL",
        "//..//a                            | INVALID           | NULL",
        "/a//..                             | /                 | NULL",
        // UTF-8
        "/na%C3%AFve                        | /na\u00efve       | NULL",
        "/na\u00c3\u00afve                  | /na\u00efve       | NULL",
        "/%E2%82%AC                         | /\u20ac           | NULL",
        "/\u00e2\u0082\u00ac%E2%82%AC       | /\u20ac\u20ac     | NULL",
        "/%F0%9F%98%80                      | /\ud83d\ude00     | NULL",
        "/%EF%BF%BD                         | /\ufffd           | NULL",
        "/%F4%8F%BF%BF                      | /\udbff\udfff     | NULL",
        // the asterisk form, and things that are not targets
        "*                                  | *                 | NULL",
        "http://                            | INVALID           | NULL",
        "http:///a                          | INVALID           | NULL",
        "ftp://h/a                          | INVALID           | NULL",
        "file:///etc/passwd                 | INVALID           | NULL",
        "example.com/a                      | INVALID           | NULL",
        "a/b                                | INVALID           | NULL",
        "**                                 | INVALID           | NULL",
        "\"\"                                 | INVALID           | NULL",
        // climbing above the root
        "/..                                | INVALID           | NULL",
        "/../                               | INVALID           | NULL",
        "/a/../..                           | INVALID           | NULL",
        "/a/b/../../../c                    | INVALID           | NULL",
        "/%2e%2e                            | INVALID           | NULL",
        "/%2e%2e/etc/passwd                 | INVALID           | NULL",
        "/.%2E/x                            | INVALID           | NULL",
        "/%2E./x                            | INVALID           | NULL",
        "http://h/../x                      | INVALID           | NULL",
        // encoded slash, backslash
        "/a%2Fb                             | INVALID           | NULL",
        "/a%2fb                             | INVALID           | NULL",
        "/..%2f..%2fetc                     | INVALID           | NULL",
        "/a\\b                              | INVALID           | NULL",
        "/a%5Cb                             | INVALID           | NULL",
        "/a%5cb                             | INVALID           | NULL",
        "/..%5c..%5cwin.ini                 | INVALID           | NULL",
        "/\\..\\x                           | INVALID           | NULL",
        // control characters, raw and encoded
        "/a%00                              | INVALID           | NULL",
        "/a%00.html                         | INVALID           | NULL",
        "/a%01                              | INVALID           | NULL",
        "/a%09b                             | INVALID           | NULL",
        "/a%0A                              | INVALID           | NULL",
        "/a%0d%0aSet-Cookie:x               | INVALID           | NULL",
        "/a%1F                              | INVALID           | NULL",
        "/a%7F                              | INVALID           | NULL",
        // malformed percent-encoding
        "/%                                 | INVALID           | NULL",
        "/a%                                | INVALID           | NULL",
        "/%4                                | INVALID           | NULL",
        "/%4?x                              | INVALID           | NULL",
        "/%zz                               | INVALID           | NULL",
        "/%4g                               | INVALID           | NULL",
        "/%g4                               | INVALID           | NULL",
        "/%%41                              | INVALID           | NULL",
        "/%-1                               | INVALID           | NULL",
        "/% 41                              | INVALID           | NULL",
        // invalid UTF-8: overlong, surrogates, truncated, stray, out of range
        "/%C0%AE%C0%AE/x                    | INVALID           | NULL",
        "/%C0%AF                            | INVALID           | NULL",
        "/%C1%9C                            | INVALID           | NULL",
        "/%E0%80%AE                         | INVALID           | NULL",
        "/%F0%80%80%AE                      | INVALID           | NULL",
        "/%ED%A0%80                         | INVALID           | NULL",
        "/%ED%BF%BF                         | INVALID           | NULL",
        "/%ED%A0%BD%ED%B8%80                | INVALID           | NULL",
        "/%C3                               | INVALID           | NULL",
        "/%C3/x                             | INVALID           | NULL",
        "/%E2%82                            | INVALID           | NULL",
        "/%F0%9F%98                         | INVALID           | NULL",
        "/%80                               | INVALID           | NULL",
        "/%BF%BF                            | INVALID           | NULL",
        "/%FF                               | INVALID           | NULL",
        "/%FE%FF                            | INVALID           | NULL",
        "/%F8%88%80%80%80                   | INVALID           | NULL",
        "/%F4%90%80%80                      | INVALID           | NULL",
        "/caf\u00e9                         | INVALID           | NULL",
        "/\u00c3                            | INVALID           | NULL",
        "/\u00c0\u00ae\u00c0\u00ae          | INVALID           | NULL",
        // fragments
        "/a#b                               | INVALID           | NULL",
        "/a?b#c                             | INVALID           | NULL",
        "/#                                 | INVALID           | NULL",
        "http://h/a#f                       | INVALID           | NULL",
        "http://h#f                         | INVALID           | NULL",
    })
    void table(String raw, String expectedPath, String expectedQuery) throws InvalidTargetException {
        if (expectedPath.equals("INVALID")) {
            assertThrows(InvalidTargetException.class, () -> RequestTarget.parse(raw), raw);
            return;
        }
        RequestTarget target = RequestTarget.parse(raw);
        assertEquals(expectedPath, target.path(), raw);
        assertEquals(expectedQuery, target.rawQuery(), raw);
        if (expectedPath.equals("*")) {
            assertTrue(target.asterisk());
            return;
        }
        assertFalse(target.asterisk());
        assertEquals(segmentsOf(expectedPath), target.segments(), raw);
        assertEquals(expectedPath.endsWith("/"), target.endsWithSlash(), raw);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a\u0000", "/\u0000/x", "/a\u0007", "/a\tb", "/a\nb", "/a\r", "/a\u001f", "/a\u007f",
        "/a\u0000?q", "http://h/\u0001"})
    void rawControlCharactersAreRefused(String raw) {
        // (kept out of the CSV table, whose parser trims control characters at the ends of values)
        assertThrows(InvalidTargetException.class, () -> RequestTarget.parse(raw), raw);
    }

    @Test
    void rawPathIsThePathPartAsSent() throws InvalidTargetException {
        assertEquals("/a%20b/./c", RequestTarget.parse("/a%20b/./c?x=%20").rawPath());
        assertEquals("/a%20b", RequestTarget.parse("http://h:80/a%20b?x").rawPath());
        assertEquals("/", RequestTarget.parse("http://h?x").rawPath());
        assertEquals("/", RequestTarget.parse("http://h").rawPath());
        assertEquals("//a", RequestTarget.parse("//a").rawPath());
        assertNull(RequestTarget.parse("/a").rawQuery());
    }

    @Test
    void asterisk() throws InvalidTargetException {
        RequestTarget star = RequestTarget.parse("*");
        assertSame(RequestTarget.ASTERISK, star);
        assertTrue(star.asterisk());
        assertEquals(List.of(), star.segments());
        assertEquals("*", star.rawPath());
        assertNull(star.rawQuery());
    }

    @Test
    void segmentsAreImmutable() throws InvalidTargetException {
        List<String> segments = RequestTarget.parse("/a/b").segments();
        assertThrows(UnsupportedOperationException.class, () -> segments.add("c"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a\u0100b", "/\u0100", "/a\u015cb", "/a\u012fb", "/\u022e\u022e", "/\u20ac", "/\ud83d\ude00"})
    void charactersBeyondLatin1AreRefusedNotTruncated(String raw) {
        // a target from the parser is ISO-8859-1 (one char per byte); a wider char must not be cut to its low
        // byte, which would smuggle NUL (U+0100), '\' (U+015C), '/' (U+012F) or '.' (U+022E) past the checks
        assertThrows(InvalidTargetException.class, () -> RequestTarget.parse(raw), raw);
    }

    @Test
    void targetFromTheParserDecodesAsUtf8() throws InvalidTargetException {
        // curl sends raw UTF-8; the parser hands the bytes over as ISO-8859-1 chars
        RequestHead head = ParserRun.parseHead("GET /caf\u00c3\u00a9/%C3%A9 HTTP/1.1\r\nHost: h\r\n\r\n");
        RequestTarget target = RequestTarget.parse(head.target());
        assertEquals("/caf\u00e9/\u00e9", target.path());
        assertEquals(List.of("caf\u00e9", "\u00e9"), target.segments());
    }

    // ---- properties ----

    @Provide
    Arbitrary<String> pathish() {
        Arbitrary<String> chars = Arbitraries.strings().withChars("/.%2eEfF5cCa0\\bxz\u0000\u00c3\u00af?#")
                .ofMaxLength(24);
        Arbitrary<String> tokens = Arbitraries.of("/", "/", ".", "..", "%2e", "%2E", "%2f", "%2F", "%5c", "%5C",
                "%00", "%C3%AF", "%C0%AE", "%E0%80%AE", "%ED%A0%80", "a", "bc", "\\", "%", "%2", "?", "#", "\u00c3",
                "\u00af").list().ofMaxSize(12).map(list -> String.join("", list));
        Arbitrary<String> body = Arbitraries.oneOf(chars, tokens);
        return Arbitraries.oneOf(body.map(s -> "/" + s), body, body.map(s -> "http://h" + s));
    }

    @Property(tries = 1000)
    void parsedPathsAreSafeAndCanonical(@ForAll("pathish") String raw) {
        RequestTarget target;
        try {
            target = RequestTarget.parse(raw);
        } catch (InvalidTargetException e) {
            return;
        }
        checkInvariants(raw, target);
    }

    @Property(tries = 500)
    void anyStringEitherFailsCleanlyOrGivesASafePath(@ForAll String any) {
        for (String raw : List.of(any, "/" + any)) {
            RequestTarget target;
            try {
                target = RequestTarget.parse(raw);
            } catch (InvalidTargetException e) {
                continue;
            }
            checkInvariants(raw, target);
        }
    }

    private static void checkInvariants(String raw, RequestTarget target) {
        if (target.asterisk()) {
            assertEquals("*", raw);
            return;
        }
        List<String> segments = target.segments();
        for (String segment : segments) {
            assertFalse(segment.isEmpty(), raw);
            assertFalse(segment.equals(".") || segment.equals(".."), raw);
            assertFalse(segment.contains("/"), raw);
            assertFalse(segment.contains("\\"), raw);
            assertTrue(segment.chars().noneMatch(c -> c < 0x20 || c == 0x7F), raw);
        }
        String expected = "/" + String.join("/", segments);
        if (!segments.isEmpty() && target.endsWithSlash()) {
            expected += "/";
        }
        assertEquals(expected, target.path(), raw);
        assertTrue(target.path().startsWith("/"), raw);
    }

    /** Encoding the segments again and parsing gives the same path: normalisation is a fixed point. */
    @Property(tries = 500)
    void reencodedPathsParseToThemselves(@ForAll("pathish") String raw) throws InvalidTargetException {
        RequestTarget target;
        try {
            target = RequestTarget.parse(raw);
        } catch (InvalidTargetException e) {
            return;
        }
        if (target.asterisk()) {
            return;
        }
        List<String> encoded = new ArrayList<>();
        target.segments().forEach(s -> encoded.add(PathEncoding.encodeSegment(s)));
        String again = "/" + String.join("/", encoded) + (target.endsWithSlash() && !encoded.isEmpty() ? "/" : "");
        RequestTarget reparsed = RequestTarget.parse(again);
        assertEquals(target.path(), reparsed.path());
        assertEquals(target.segments(), reparsed.segments());
    }
}
