package amped.protocol.syntax;

/** Optional whitespace (RFC 9110 §5.6.3: {@code OWS = *( SP / HTAB )}) in field values held as strings. */
public final class Ows {

    private Ows() {
    }

    /** The index of the first non-OWS character at or after {@code from} (the length when there is none). */
    public static int skip(String s, int from) {
        int i = from;
        while (i < s.length() && Ascii.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** The end of {@code s[from, to)} without its trailing OWS. */
    public static int trimEnd(String s, int from, int to) {
        int end = to;
        while (end > from && Ascii.isWhitespace(s.charAt(end - 1))) {
            end--;
        }
        return end;
    }

    /** {@code s} without leading and trailing OWS; field values are defined without it (§5.5). */
    public static String trim(String s) {
        int from = skip(s, 0);
        return s.substring(from, trimEnd(s, from, s.length()));
    }
}
