package amped.protocol.encoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import amped.protocol.MimeTypes;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GzipOnTheFlyTest {

    @ParameterizedTest
    @CsvSource({
        "text/html; charset=utf-8, true",
        "text/css; charset=utf-8, true",
        "text/javascript; charset=utf-8, true",
        "text/plain, true",
        "TEXT/CSV, true",
        "application/json; charset=utf-8, true",
        "application/geo+json, true",
        "application/ld+json, true",
        "image/svg+xml; charset=utf-8, true",
        "application/wasm, true",
        "application/xml, true",
        "application/rss+xml, true",
        "font/ttf, true",
        "image/vnd.microsoft.icon, true",
        "application/octet-stream, false",
        "image/png, false",
        "image/jpeg, false",
        "video/mp4, false",
        "application/zip, false",
        "application/gzip, false",
        "font/woff2, false",
        "application/pdf, false",
        "application/epub+zip, false",
        "text, false",
        "text/, false",
        "'', false",
    })
    void typesThatShrink(String contentType, boolean expected) {
        assertEquals(expected, GzipOnTheFly.compressible(contentType), contentType);
    }

    @ParameterizedTest
    @CsvSource({
        "file.html, true", "app.js, true", "app.mjs, true", "style.css, true", "data.json, true",
        "logo.svg, true", "module.wasm, true", "feed.xml, true", "notes.md, true", "README.txt, true",
        "photo.jpg, false", "movie.mp4, false", "archive.zip, false", "page.html.gz, false",
        "font.woff2, false", "setup.exe, false", "unknown.xyz, false",
    })
    void theBuiltInTableAgrees(String name, boolean expected) {
        assertEquals(expected, GzipOnTheFly.compressible(MimeTypes.defaults().contentType(name)), name);
    }

    @ParameterizedTest
    @CsvSource({"0, false", "1023, false", "1024, true", "8388608, true", "8388609, false"})
    void sizeBounds(long size, boolean expected) {
        assertEquals(expected, GzipOnTheFly.worthTrying("text/plain; charset=utf-8", size));
    }

    @Property
    void parametersAndCaseNeverChangeTheAnswer(@ForAll("types") String type, @ForAll("parameters") String parameters) {
        boolean bare = GzipOnTheFly.compressible(type);
        assertEquals(bare, GzipOnTheFly.compressible(type + parameters));
        assertEquals(bare, GzipOnTheFly.compressible(type.toUpperCase(Locale.ROOT) + parameters));
    }

    @Property
    void nothingOutsideTheBoundsIsTried(@ForAll("types") String type,
                                        @ForAll @LongRange(min = GzipOnTheFly.MAX_SIZE + 1) long big,
                                        @ForAll @LongRange(max = GzipOnTheFly.MIN_SIZE - 1) long small) {
        assertFalse(GzipOnTheFly.worthTrying(type, big));
        assertFalse(GzipOnTheFly.worthTrying(type, small));
    }

    @Provide
    Arbitrary<String> types() {
        return Arbitraries.of("text/plain", "text/html", "application/json", "image/svg+xml", "application/wasm",
                "image/png", "application/octet-stream", "video/webm", "application/vnd.api+json", "font/woff");
    }

    @Provide
    Arbitrary<String> parameters() {
        return Arbitraries.of("", ";charset=utf-8", "; charset=UTF-8", " ; q=1", ";a=b;c=d");
    }
}
