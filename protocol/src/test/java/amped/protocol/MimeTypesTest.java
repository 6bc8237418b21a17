package amped.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MimeTypesTest {

    private static final MimeTypes DEFAULTS = MimeTypes.defaults();
    private static final String OCTET = "application/octet-stream";
    private static final String UTF8 = "; charset=utf-8";

    /** The types that get a charset: text/* plus these. */
    private static final Set<String> TEXT_LIKE = Set.of(
            "application/javascript", "application/json", "application/ld+json",
            "application/manifest+json", "application/xml", "application/xhtml+xml",
            "application/rss+xml", "application/atom+xml", "image/svg+xml");

    private static final Pattern MEDIA_TYPE = Pattern.compile(
            "[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+(; charset=utf-8)?");

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            index.html        | text/html; charset=utf-8
            old.htm           | text/html; charset=utf-8
            inc.shtml         | text/html; charset=utf-8
            site.css          | text/css; charset=utf-8
            app.js            | text/javascript; charset=utf-8
            module.mjs        | text/javascript; charset=utf-8
            common.cjs        | text/javascript; charset=utf-8
            data.json         | application/json; charset=utf-8
            app.js.map        | application/json; charset=utf-8
            doc.jsonld        | application/ld+json; charset=utf-8
            site.webmanifest  | application/manifest+json; charset=utf-8
            feed.xml          | application/xml; charset=utf-8
            page.xhtml        | application/xhtml+xml; charset=utf-8
            feed.atom         | application/atom+xml; charset=utf-8
            feed.rss          | application/rss+xml; charset=utf-8
            notes.txt         | text/plain; charset=utf-8
            table.csv         | text/csv; charset=utf-8
            table.tsv         | text/tab-separated-values; charset=utf-8
            README.md         | text/markdown; charset=utf-8
            README.markdown   | text/markdown; charset=utf-8
            cal.ics           | text/calendar; charset=utf-8
            card.vcf          | text/vcard; charset=utf-8
            subs.vtt          | text/vtt; charset=utf-8
            settings.ini      | text/plain; charset=utf-8
            nginx.conf        | text/plain; charset=utf-8
            server.log        | text/plain; charset=utf-8
            letter.rtf        | application/rtf
            config.yaml       | application/yaml
            config.yml        | application/yaml
            Cargo.toml        | application/toml
            logo.png          | image/png
            anim.apng         | image/apng
            photo.jpg         | image/jpeg
            photo.jpeg        | image/jpeg
            photo.jfif        | image/jpeg
            photo.pjpeg       | image/jpeg
            anim.gif          | image/gif
            pic.webp          | image/webp
            pic.avif          | image/avif
            pic.heic          | image/heic
            pic.heif          | image/heif
            pic.jxl           | image/jxl
            icon.svg          | image/svg+xml; charset=utf-8
            icon.svgz         | image/svg+xml; charset=utf-8
            favicon.ico       | image/vnd.microsoft.icon
            pointer.cur       | image/x-icon
            old.bmp           | image/bmp
            scan.tif          | image/tiff
            scan.tiff         | image/tiff
            art.psd           | image/vnd.adobe.photoshop
            f.woff            | font/woff
            f.woff2           | font/woff2
            f.ttf             | font/ttf
            f.otf             | font/otf
            f.eot             | application/vnd.ms-fontobject
            v.mp4             | video/mp4
            v.m4v             | video/x-m4v
            a.m4a             | audio/mp4
            a.mp3             | audio/mpeg
            a.ogg             | audio/ogg
            a.oga             | audio/ogg
            v.ogv             | video/ogg
            a.opus            | audio/ogg
            a.wav             | audio/wav
            a.weba            | audio/webm
            v.webm            | video/webm
            v.mkv             | video/matroska
            a.mka             | audio/matroska
            v.mov             | video/quicktime
            v.avi             | video/x-msvideo
            v.flv             | video/x-flv
            v.wmv             | video/x-ms-wmv
            a.wma             | audio/x-ms-wma
            a.aac             | audio/aac
            a.flac            | audio/flac
            a.mid             | audio/midi
            a.midi            | audio/midi
            v.3gp             | video/3gpp
            v.3g2             | video/3gpp2
            seg.ts            | video/mp2t
            live.m3u8         | application/vnd.apple.mpegurl
            dash.mpd          | application/dash+xml
            subs.srt          | application/x-subrip
            a.zip             | application/zip
            a.tar.gz          | application/gzip
            a.tgz             | application/gzip
            a.bz2             | application/x-bzip2
            a.xz              | application/x-xz
            a.zst             | application/zstd
            a.7z              | application/x-7z-compressed
            a.rar             | application/vnd.rar
            a.tar             | application/x-tar
            lib.jar           | application/java-archive
            app.war           | application/java-archive
            app.ear           | application/java-archive
            app.apk           | application/vnd.android.package-archive
            pkg.deb           | application/vnd.debian.binary-package
            pkg.rpm           | application/x-rpm
            disk.dmg          | application/x-apple-diskimage
            disk.iso          | application/x-iso9660-image
            disk.img          | application/octet-stream
            setup.msi         | application/x-msi
            setup.exe         | application/vnd.microsoft.portable-executable
            lib.dll           | application/vnd.microsoft.portable-executable
            blob.bin          | application/octet-stream
            mod.wasm          | application/wasm
            doc.pdf           | application/pdf
            book.epub         | application/epub+zip
            doc.doc           | application/msword
            doc.docx          | application/vnd.openxmlformats-officedocument.wordprocessingml.document
            sheet.xls         | application/vnd.ms-excel
            sheet.xlsx        | application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
            deck.ppt          | application/vnd.ms-powerpoint
            deck.pptx         | application/vnd.openxmlformats-officedocument.presentationml.presentation
            doc.odt           | application/vnd.oasis.opendocument.text
            sheet.ods         | application/vnd.oasis.opendocument.spreadsheet
            deck.odp          | application/vnd.oasis.opendocument.presentation
            old.swf           | application/x-shockwave-flash
            model.glb         | model/gltf-binary
            map.geojson       | application/geo+json
            """)
    void looksUpBuiltInTypes(String fileName, String expected) {
        assertEquals(expected, DEFAULTS.contentType(fileName));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {
            "", "README", "Makefile", ".bashrc", ".gitignore", "dir/.env", "file.", "a/b.",
            "archive.unknownext", "dir.html/README", "dir.d/", "/x.png/y", ".", "..", "...",
            "photo.JPG\u0000", "note.txt ", "x.p\u0130ng", "x.\u212Aml"})
    void fallsBackToOctetStream(String fileName) {
        assertEquals(OCTET, DEFAULTS.contentType(fileName));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
            "PHOTO.JPG", "photo.Jpg", "/srv/www/Photo.JpEg", "a.b.c/d.e/photo.jpg", ".hidden.jpg", "..jpg"})
    void usesTheLastExtensionOfTheLastSegmentIgnoringCase(String fileName) {
        assertEquals("image/jpeg", DEFAULTS.contentType(fileName));
    }

    @Test
    void dotfilesWithAnExtensionUseIt() {
        assertEquals("application/json; charset=utf-8", DEFAULTS.contentType(".eslintrc.json"));
        assertEquals("application/yaml", DEFAULTS.contentType("/repo/.github/ci.YML"));
    }

    @Test
    void hasAComprehensiveTable() {
        assertTrue(DEFAULTS.extensions().size() >= 150, "only " + DEFAULTS.extensions().size());
        assertSame(DEFAULTS, MimeTypes.defaults());
    }

    @Test
    void everyBuiltInIsALowercaseMediaTypeWithCharsetExactlyWhenTextLike() {
        for (String ext : DEFAULTS.extensions()) {
            assertTrue(ext.equals(ext.toLowerCase(java.util.Locale.ROOT)) && !ext.contains("."), ext);
            String value = DEFAULTS.contentType("f." + ext);
            assertTrue(MEDIA_TYPE.matcher(value).matches(), ext + " -> " + value);
            String essence = value.replace(UTF8, "");
            boolean textLike = essence.startsWith("text/") || TEXT_LIKE.contains(essence);
            assertEquals(textLike, value.endsWith(UTF8), ext + " -> " + value);
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
            "png", "jpg", "gif", "webp", "woff2", "mp4", "mp3", "zip", "gz", "pdf", "wasm", "exe",
            "rtf", "yaml", "docx", "eot"})
    void binaryAndCharsetlessTypesGetNoCharset(String ext) {
        assertFalse(DEFAULTS.contentType("f." + ext).contains("charset"), ext);
    }

    @Test
    void extensionsIsImmutable() {
        assertThrows(UnsupportedOperationException.class, () -> DEFAULTS.extensions().remove("png"));
    }

    // ------------------------------------------------------------------------------ overrides

    @ParameterizedTest(name = "[{index}] {0} = {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            md          | text/plain                               | text/plain; charset=utf-8
            .md         | text/plain                               | text/plain; charset=utf-8
            .MD         | Text/Plain                               | text/plain; charset=utf-8
            log         | text/plain; charset=iso-8859-1           | text/plain; charset=iso-8859-1
            log         | text/plain;charset=ISO-8859-1            | text/plain; charset=ISO-8859-1
            log         | text/plain ; CHARSET=latin1              | text/plain; charset=latin1
            log         | text/plain; format=flowed                | text/plain; format=flowed; charset=utf-8
            ts          | application/typescript                   | application/typescript
            ts          | text/x-typescript                        | text/x-typescript; charset=utf-8
            data        | application/json                         | application/json; charset=utf-8
            x           | image/svg+xml                            | image/svg+xml; charset=utf-8
            x           | application/vnd.custom+json              | application/vnd.custom+json
            x           | application/x-thing; a="b; c"; d=e       | application/x-thing; a="b; c"; d=e
            x           | text/plain; a="charset=x"                | text/plain; a="charset=x"; charset=utf-8
            x           | text/plain;;; a=b;                       | text/plain; a=b; charset=utf-8
            ünï         | image/png                                | image/png
            """)
    void overridesApplyTheCharsetRule(String extension, String type, String expected) {
        MimeTypes types = DEFAULTS.withOverride(extension, type);
        String ext = extension.startsWith(".") ? extension.substring(1) : extension;
        assertEquals(expected, types.contentType("file." + ext));
        assertEquals(expected, types.contentType("FILE." + asciiUppercase(ext)));
    }

    @Test
    void caseIsIgnoredForAsciiLettersOnly() {
        MimeTypes types = DEFAULTS.withOverride("ünï", "image/png");
        assertEquals("image/png", types.contentType("a.üNï"));
        // Unicode case folding is not applied, so the result can't depend on locale or on
        // oddities such as KELVIN SIGN lowercasing to 'k'
        assertEquals(OCTET, types.contentType("a.ÜNÏ"));
        assertEquals(OCTET, DEFAULTS.contentType("a.\u212Aml"));
    }

    private static String asciiUppercase(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.chars().forEach(c -> out.append((char) (c >= 'a' && c <= 'z' ? c - 32 : c)));
        return out.toString();
    }

    @Test
    void overrideReturnsANewTableAndLeavesTheOriginalAlone() {
        MimeTypes custom = DEFAULTS.withOverride("html", "application/xhtml+xml");
        assertEquals("application/xhtml+xml; charset=utf-8", custom.contentType("a.html"));
        assertEquals("text/html; charset=utf-8", DEFAULTS.contentType("a.html"));
        assertEquals("image/png", custom.contentType("a.png"));

        MimeTypes more = custom.withOverride("foo", "application/x-foo");
        assertEquals("application/x-foo", more.contentType("x.foo"));
        assertEquals(OCTET, custom.contentType("x.foo"));
        assertEquals(DEFAULTS.extensions().size() + 1, more.extensions().size());
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', emptyValue = "", textBlock = """
            foo                  | invalid media type "foo" for extension "x": expected type/subtype
            ``                   | invalid media type "" for extension "x": expected type/subtype
            text/                | invalid media type "text/" for extension "x": expected type/subtype
            /plain               | invalid media type "/plain" for extension "x": expected type/subtype
            text plain           | invalid media type "text plain" for extension "x": expected type/subtype
            text/pl ain          | invalid media type "text/pl ain" for extension "x": expected type/subtype optionally followed by ;name=value parameters, found 'a'
            text/plain/x         | invalid media type "text/plain/x" for extension "x": expected type/subtype optionally followed by ;name=value parameters, found '/'
            tëxt/plain           | invalid media type "tëxt/plain" for extension "x": expected type/subtype
            text/plain; charset  | invalid media type "text/plain; charset" for extension "x": parameter "charset" has no =value
            text/plain; =utf-8   | invalid media type "text/plain; =utf-8" for extension "x": expected a parameter name=value after ';'
            text/plain; a=       | invalid media type "text/plain; a=" for extension "x": parameter "a" has an empty value
            text/plain; a="b     | invalid media type "text/plain; a="b" for extension "x": bad quoted value of parameter "a"
            text/plain; a = b    | invalid media type "text/plain; a = b" for extension "x": parameter "a" has no =value
            """)
    void rejectsInvalidTypesWithAOneLineMessage(String type, String message) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> DEFAULTS.withOverride(".X", type));
        assertEquals(message, e.getMessage());
    }

    @Test
    void messagesStayOnOneLineWhateverTheInput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DEFAULTS.withOverride("x", "text/plain\nX-Injected: 1"));
        assertEquals("invalid media type \"text/plain\\u000AX-Injected: 1\" for extension \"x\":"
                + " expected type/subtype optionally followed by ;name=value parameters, found '\\u000A'",
                e.getMessage());
        IllegalArgumentException parse = assertThrows(IllegalArgumentException.class,
                () -> MimeTypes.parseOverride("a\r\nb"));
        assertFalse(parse.getMessage().contains("\n") || parse.getMessage().contains("\r"), parse.getMessage());
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {"", ".", "..md", "tar.gz", "a/b", "a\\b", "a b", "a=b", "\t", "x\u0000"})
    void rejectsInvalidExtensions(String extension) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DEFAULTS.withOverride(extension, "text/plain"));
        assertTrue(e.getMessage().startsWith("invalid extension \""), e.getMessage());
        assertTrue(e.getMessage().endsWith("\": expected a file extension such as md or .md"), e.getMessage());
        assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("\u0000"), e.getMessage());
    }

    @Test
    void rejectsNulls() {
        assertThrows(NullPointerException.class, () -> DEFAULTS.contentType(null));
        assertThrows(NullPointerException.class, () -> DEFAULTS.withOverride(null, "a/b"));
        assertThrows(NullPointerException.class, () -> DEFAULTS.withOverride("a", null));
        assertThrows(NullPointerException.class, () -> MimeTypes.parseOverride(null));
    }

    // -------------------------------------------------------------------------- parseOverride

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            md=text/markdown                         | md   | text/markdown
            .MD=Text/Markdown                        | md   | text/markdown
            ' log = text/plain; charset=iso-8859-1 ' | log  | text/plain; charset=iso-8859-1
            x=application/x-a;b="c=d"                | x    | application/x-a; b="c=d"
            """)
    void parsesCliOverrides(String spec, String extension, String type) {
        Map.Entry<String, String> entry = MimeTypes.parseOverride(spec);
        assertEquals(extension, entry.getKey());
        assertEquals(type, entry.getValue());
    }

    @Test
    void parsedOverrideFeedsWithOverride() {
        Map.Entry<String, String> entry = MimeTypes.parseOverride(".Svelte=text/x-svelte");
        MimeTypes types = DEFAULTS.withOverride(entry.getKey(), entry.getValue());
        assertEquals("text/x-svelte; charset=utf-8", types.contentType("App.svelte"));
        assertNotEquals(types.contentType("App.svelte"), DEFAULTS.contentType("App.svelte"));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            md                  | invalid MIME type override "md": expected EXT=TYPE, e.g. md=text/markdown
            md:text/markdown    | invalid MIME type override "md:text/markdown": expected EXT=TYPE, e.g. md=text/markdown
            =text/plain         | invalid extension "": expected a file extension such as md or .md
            md=                 | invalid media type "" for extension "md": expected type/subtype
            md=foo              | invalid media type "foo" for extension "md": expected type/subtype
            a.b=text/plain      | invalid extension "a.b": expected a file extension such as md or .md
            """)
    void rejectsBadCliOverridesWithOneLineMessages(String spec, String message) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> MimeTypes.parseOverride(spec));
        assertEquals(message, e.getMessage());
    }
}
