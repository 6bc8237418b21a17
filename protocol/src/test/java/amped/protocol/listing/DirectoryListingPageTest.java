package amped.protocol.listing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DirectoryListingPageTest {

    /** One row's link: group 1 the raw href, group 2 the escaped visible text. */
    static final Pattern LINK = Pattern.compile("<td class=\"n\"><a href=\"([^\"]*)\">([^<]*)</a></td>");
    private static final Pattern SIZE_CELL = Pattern.compile("<td class=\"s\"([^>]*)>([^<]*)</td>");
    private static final Pattern DATE_CELL = Pattern.compile("<td class=\"m\">([^<]*)</td>");
    private static final long T = 1_700_000_000_000L; // 2023-11-14 22:13:20 UTC

    record Row(String href, String text) {
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
            "plain.txt", "a b&<c>.txt", "say \"hi\"", "it's", "100%", "%41%42", "#anchor", "what?",
            "a?b#c", "semi;colon", "plus+sign", "naïve 日本.txt", "😀 emoji 🎉", "javascript:alert(1)",
            "mailto:x@y", "C:\\Windows", "back\\slash", ".hidden", "...", ".x:y", "~tilde", "=eq,comma",
            "<script>alert(1)</script>", "&amp;", "tab\there", "trailing ", " leading", "zwj\u200Dx",
            "\u00A0nbsp", "right\u202Eleft", "é (NFC)", "e\u0301 (NFD)"})
    void hrefAndTextRoundTripToTheExactName(String name) {
        for (boolean directory : new boolean[] {false, true}) {
            List<Row> rows = rows(render(List.of(entry(name, directory)), false));
            assertEquals(1, rows.size());
            Row row = rows.get(0);
            String suffix = directory ? "/" : "";

            assertEquals(name + suffix, HtmlPropertyTest.unescape(row.text()));
            assertTrue(row.href().endsWith(suffix), row.href());
            String encoded = row.href().substring(0, row.href().length() - suffix.length());
            String segment = encoded.startsWith("./") ? encoded.substring(2) : encoded;
            assertEquals(name, PercentDecoder.decode(segment));
            assertIsSafeRelativeReference(row.href(), name + suffix);
        }
    }

    @Test
    void exampleFromTheSpecification() {
        Row row = rows(render(List.of(entry("a b&<c>.txt", false)), false)).get(0);
        assertEquals("a%20b%26%3Cc%3E.txt", row.href());
        assertEquals("a b&amp;&lt;c&gt;.txt", row.text());
    }

    @ParameterizedTest
    @ValueSource(strings = {"javascript:alert(1)", "http:evil", "a:b", ".x:y", "data:text/html,x"})
    void namesWithAColonGetADotSlashSoTheyAreNotASchemeOrOpaque(String name) {
        Row row = rows(render(List.of(entry(name, false)), false)).get(0);
        assertTrue(row.href().startsWith("./"), row.href());
        assertNull(URI.create(row.href()).getScheme());
    }

    @Test
    void controlCharactersAreEncodedInTheHrefAndReplacedInTheText() {
        String name = "bell\u0007line\nnul\u0000";
        Row row = rows(render(List.of(entry(name, false)), false)).get(0);
        assertEquals("bell%07line%0Anul%00", row.href());
        assertEquals(name, PercentDecoder.decode(row.href()));
        assertEquals("bell\uFFFDline\nnul\uFFFD", row.text());
    }

    @Test
    void sortsDirectoriesFirstThenNaturallyIgnoringCaseThenExactly() {
        List<DirectoryEntry> entries = List.of(
                entry("b.txt", false), entry("B.txt", false), entry("a.txt", false),
                entry("Zeta", true), entry("alpha", true), entry("Alpha", true),
                entry("_under", false), entry("10.txt", false), entry("9.txt", false),
                entry("Émile", false), entry("zed", false), entry("ä", false));
        List<String> names = rows(render(entries, false)).stream().map(Row::text).toList();
        assertEquals(List.of(
                "Alpha/", "alpha/", "Zeta/",
                "9.txt", "10.txt", "_under", "a.txt", "B.txt", "b.txt", "zed", "ä", "Émile"),
                names);
    }

    @Test
    void orderDoesNotDependOnInputOrder() {
        List<DirectoryEntry> entries = new ArrayList<>();
        for (String name : new String[] {"x", "X", "y", "Y", "x1", "X1", "é", "É"}) {
            entries.add(entry(name, false));
            entries.add(entry(name, true));
        }
        String forwards = new String(render(entries, true), StandardCharsets.UTF_8);
        List<DirectoryEntry> reversed = new ArrayList<>(entries);
        java.util.Collections.reverse(reversed);
        assertEquals(forwards, new String(render(reversed, true), StandardCharsets.UTF_8));
    }

    @Test
    void parentLinkComesFirstWhenRequested() {
        List<DirectoryEntry> entries = List.of(entry("a", true), entry("b", false));
        List<Row> with = rows(render(entries, true));
        assertEquals(new Row("../", "../"), with.get(0));
        assertEquals(3, with.size());

        List<Row> without = rows(render(entries, false));
        assertEquals(List.of(new Row("a/", "a/"), new Row("b", "b")), without);
        assertFalse(html(entries, false).contains("<tr class=\"d up\">"));
    }

    @Test
    void skipsDotAndDotDotAndEmptyNames() {
        List<DirectoryEntry> entries = List.of(
                entry(".", true), entry("..", true), entry("", false), entry("real", false));
        assertEquals(List.of(new Row("real", "real")), rows(render(entries, false)));
    }

    @Test
    void showsHumanSizesWithExactBytesAndDashForDirectories() {
        String html = html(List.of(
                new DirectoryEntry("dir", true, 4096, T),
                new DirectoryEntry("one", false, 1, T),
                new DirectoryEntry("small", false, 3, T),
                new DirectoryEntry("mid", false, 1536, T),
                new DirectoryEntry("big", false, 12L * 1024 * 1024, T),
                new DirectoryEntry("unknown", false, -1, T)), false);
        List<String> cells = new ArrayList<>();
        Matcher m = SIZE_CELL.matcher(html);
        while (m.find()) {
            cells.add(m.group(1) + "|" + m.group(2));
        }
        assertEquals(List.of(
                "|-",
                " data-bytes=\"12582912\" title=\"12582912 bytes\"|12 MiB",
                " data-bytes=\"1536\" title=\"1536 bytes\"|1.5 KiB",
                " data-bytes=\"1\" title=\"1 byte\"|1 B",
                " data-bytes=\"3\" title=\"3 bytes\"|3 B",
                "|-"), cells);
    }

    @Test
    void showsLastModifiedInUtc() {
        String html = html(List.of(
                new DirectoryEntry("a", false, 0, T),
                new DirectoryEntry("b", true, 0, 0),
                new DirectoryEntry("c", false, 0, -1)), true);
        List<String> dates = new ArrayList<>();
        Matcher m = DATE_CELL.matcher(html);
        while (m.find()) {
            dates.add(m.group(1));
        }
        assertEquals(List.of("-", "1970-01-01 00:00:00", "2023-11-14 22:13:20", "1969-12-31 23:59:59"), dates);
        assertTrue(html.contains(">Last modified (UTC)</a>"), html);
    }

    @Test
    void isACompleteSelfContainedUtf8Html5Page() throws CharacterCodingException {
        byte[] page = render(List.of(entry("naïve 日本.txt", false)), true);
        String html = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(page)).toString();
        assertTrue(html.startsWith("<!DOCTYPE html>\n<html"), html);
        assertTrue(html.contains("<meta charset=\"utf-8\">"));
        assertTrue(html.contains("<title>Index of /docs/</title>"));
        assertTrue(html.contains("<h1>Index of <a href=\"../\">/</a>docs/</h1>"), html);
        assertTrue(html.contains("<style>"));
        assertTrue(html.contains(">Name</a>") && html.contains(">Size</a>")
                && html.contains(">Last modified (UTC)</a>"));
        assertTrue(html.contains(">naïve 日本.txt</a>"));
        assertTrue(html.endsWith("</html>\n"));
        for (String external : new String[] {"<link", "src=", "@import", "url(", "http:", "https:", "<img"}) {
            assertFalse(html.contains(external), external);
        }
        // one inline script, the filter's, allowed by its hash
        assertEquals(1, count(html, "<script"));
        assertTrue(html.contains("<script>" + ListingAssets.SCRIPT + "</script>"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"/a<b>&c/", "/it's \"here\"/", "/日本/"})
    void titleAndHeadingShowTheEscapedPath(String path) {
        String html = new String(DirectoryListingPage.render(path, List.of(), true), StandardCharsets.UTF_8);
        String escaped = Html.escape(path);
        assertTrue(html.contains("<title>Index of " + escaped + "</title>"), html);
        String heading = html.substring(html.indexOf("<h1>"), html.indexOf("</h1>")).replaceAll("<[^>]*>", "");
        assertEquals("Index of " + escaped, heading);
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {"", "/", "docs", "/docs", "docs/", "/docs/"})
    void addsMissingLeadingAndTrailingSlashToTheTitle(String path) {
        String html = new String(DirectoryListingPage.render(path, List.of(), false), StandardCharsets.UTF_8);
        String expected = path.isEmpty() || path.equals("/") ? "/" : "/docs/";
        assertTrue(html.contains("<title>Index of " + expected + "</title>"), html);
    }

    @Test
    void rendersAHundredThousandEntries() {
        List<DirectoryEntry> entries = new ArrayList<>(100_000);
        for (int i = 0; i < 100_000; i++) {
            entries.add(new DirectoryEntry("file " + i + (i % 7 == 0 ? " & <x>.txt" : ".bin"),
                    i % 10 == 0, i * 1000L, T + i));
        }
        String html = new String(DirectoryListingPage.render("/big/", entries, true), StandardCharsets.UTF_8);
        assertEquals(100_001, rows(html).size());
        assertEquals(100_001 + 1, count(html, "<tr"));
        assertEquals(10_000 + 1, count(html, "<tr class=\"d"));
    }

    // ------------------------------------------------------------------------------ helpers

    static DirectoryEntry entry(String name, boolean directory) {
        return new DirectoryEntry(name, directory, directory ? 0 : 42, T);
    }

    private static byte[] render(List<DirectoryEntry> entries, boolean parent) {
        return DirectoryListingPage.render("/docs/", entries, parent);
    }

    private static String html(List<DirectoryEntry> entries, boolean parent) {
        return new String(render(entries, parent), StandardCharsets.UTF_8);
    }

    static List<Row> rows(byte[] page) {
        return rows(new String(page, StandardCharsets.UTF_8));
    }

    static List<Row> rows(String html) {
        List<Row> rows = new ArrayList<>();
        Matcher m = LINK.matcher(html);
        while (m.find()) {
            rows.add(new Row(m.group(1), m.group(2)));
        }
        return rows;
    }

    private static int count(String haystack, String needle) {
        int count = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length())) {
            count++;
        }
        return count;
    }

    /**
     * The href must be a valid RFC 3986 relative reference with no scheme, and resolving it
     * against the listing's URL must land on the entry inside that directory.
     */
    static void assertIsSafeRelativeReference(String href, String nameWithSuffix) {
        URI ref = URI.create(href);
        assertNull(ref.getScheme(), href);
        assertNull(ref.getRawQuery(), href);
        assertNull(ref.getRawFragment(), href);
        URI resolved = URI.create("http://host/docs/").resolve(ref);
        assertEquals("/docs/" + nameWithSuffix, resolved.getPath());
    }
}
