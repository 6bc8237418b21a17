package amped.protocol.listing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Any name, however odd, is a valid JSON string that reads back as the name. */
class JsonPropertyTest {

    @Property(tries = 2000)
    void anyStringReadsBack(@ForAll String name) {
        StringBuilder out = new StringBuilder();
        Json.appendString(out, name);
        String json = out.toString();
        for (int i = 0; i < json.length(); i++) {
            assertTrue(json.charAt(i) >= 0x20 && json.charAt(i) != 0x7F, "a raw control character");
        }
        assertEquals(withoutLoneSurrogates(name), readString(json));
    }

    @Example
    void aListingPageIsJsonWithEveryField() {
        DirectoryEntry dir = new DirectoryEntry("a\"b\\c", true, 0, 1_700_000_000_000L);
        DirectoryEntry file = new DirectoryEntry("naïve\n日本.txt", false, 42, 0);
        ListedDirectory where = new ListedDirectory("/dö cs/", true, 1, 1, false);
        String json = new String(JsonListing.renderPage(where, List.of(dir, file), ListingQuery.DEFAULT, 1),
                StandardCharsets.UTF_8);
        assertEquals("{\"path\":\"/dö cs/\",\"page\":1,\"pages\":1,\"directories\":1,\"files\":1,\"entries\":[\n"
                + "{\"name\":\"a\\\"b\\\\c\",\"type\":\"directory\",\"size\":null,\"mtime\":\"2023-11-14T22:13:20Z\","
                + "\"url\":\"/d%C3%B6%20cs/a%22b%5Cc/\"},\n"
                + "{\"name\":\"naïve\\n日本.txt\",\"type\":\"file\",\"size\":42,\"mtime\":\"1970-01-01T00:00:00Z\","
                + "\"url\":\"/d%C3%B6%20cs/na%C3%AFve%0A%E6%97%A5%E6%9C%AC.txt\"}]}\n", json);
    }

    private static String withoutLoneSurrogates(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(++i));
            } else {
                out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }

    /** A strict reader of one JSON string (RFC 8259 §7), written from the grammar. */
    private static String readString(String json) {
        assertEquals('"', json.charAt(0));
        assertEquals('"', json.charAt(json.length() - 1));
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < json.length() - 1; i++) {
            char c = json.charAt(i);
            assertTrue(c != '"', "an unescaped quote");
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = json.charAt(++i);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    out.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> throw new AssertionError("bad escape \\" + e);
            }
        }
        return out.toString();
    }
}
