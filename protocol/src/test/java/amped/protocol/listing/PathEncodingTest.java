package amped.protocol.listing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathEncodingTest {

    @ParameterizedTest(name = "[{index}] \"{0}\" -> \"{1}\"")
    @CsvSource(delimiter = '|', emptyValue = "", quoteCharacter = '`', textBlock = """
            ``                    | ``
            abc                   | abc
            a b                   | a%20b
            a b&<c>.txt           | a%20b%26%3Cc%3E.txt
            100%                  | 100%25
            %41                   | %2541
            ?#/\\;                | %3F%23%2F%5C%3B
            a+b                   | a%2Bb
            it's "quoted"         | it%27s%20%22quoted%22
            -._~                  | -._~
            !$()*,=:@             | !$()*,=:@
            [x]{y}^               | %5Bx%5D%7By%7D%5E
            é                     | %C3%A9
            naïve 日本.txt         | na%C3%AFve%20%E6%97%A5%E6%9C%AC.txt
            😀                    | %F0%9F%98%80
            ..                    | ..
            """)
    void encodesSegment(String segment, String expected) {
        assertEquals(expected, PathEncoding.encodeSegment(segment));
    }

    @ParameterizedTest(name = "[{index}] U+{0}")
    @CsvSource({
            "0000, %00",
            "0009, %09",
            "000A, %0A",
            "000D, %0D",
            "001F, %1F",
            "007F, %7F",
            "0085, %C2%85",
            "00A0, %C2%A0",
            "FEFF, %EF%BB%BF",
            "007C, %7C",
            "0060, %60",
            // lone surrogates have no UTF-8 form: encoded as U+FFFD
            "D800, %EF%BF%BD",
            "DFFF, %EF%BF%BD",
    })
    void encodesControlAndSpecialChars(String hexCodeUnit, String expected) {
        String segment = "a" + (char) Integer.parseInt(hexCodeUnit, 16) + "b";
        assertEquals("a" + expected + "b", PathEncoding.encodeSegment(segment));
    }

    @Test
    void returnsSameInstanceWhenNothingToEncode() {
        String plain = "report-2024_v1.2~final.pdf";
        assertSame(plain, PathEncoding.encodeSegment(plain));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" -> \"{1}\"")
    @CsvSource(delimiter = '|', emptyValue = "", quoteCharacter = '`', textBlock = """
            ``                    | ``
            /                     | /
            //                    | //
            /a b/c?/              | /a%20b/c%3F/
            a/b                   | a/b
            /%/#/                 | /%25/%23/
            /docs/日本/            | /docs/%E6%97%A5%E6%9C%AC/
            /x\\y                 | /x%5Cy
            /a;b=c/d              | /a%3Bb=c/d
            """)
    void encodesPathKeepingSlashes(String path, String expected) {
        assertEquals(expected, PathEncoding.encodePath(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a b/c d", "/ünï/cödé/", "/%/?/#/", "/😀/x:y@z/"})
    void encodedPathIsAValidUriPathThatDecodesBack(String path) {
        URI uri = URI.create("http://host" + PathEncoding.encodePath(path));
        assertEquals(path, uri.getPath());
    }
}
