package amped.protocol.syntax;

import java.util.ArrayList;
import java.util.List;

/**
 * The elements of a comma-separated list field value ({@code #element}, RFC 9110 §5.6.1), for grammars
 * whose elements hold no quoted string (Range, Accept-Encoding); entity-tag lists have their own scanner
 * because an opaque-tag may hold a comma.
 */
public final class CommaList {

    private CommaList() {
    }

    /**
     * Every element between commas with its surrounding OWS trimmed, empty ones included: §5.6.1.2 has
     * recipients tolerate them, and each grammar decides whether they count. A value without a comma is one
     * element; an empty value is one empty element.
     */
    public static List<String> elements(String value) {
        List<String> elements = new ArrayList<>(4);
        int start = 0;
        while (start <= value.length()) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? value.length() : comma;
            int from = Ows.skip(value, start);
            elements.add(from >= end ? "" : value.substring(from, Ows.trimEnd(value, from, end)));
            start = end + 1;
        }
        return elements;
    }
}
