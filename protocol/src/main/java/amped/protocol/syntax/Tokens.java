package amped.protocol.syntax;

/** Tokens and quoted strings (RFC 9110 §5.6.2, §5.6.4) in field values held as strings. */
public final class Tokens {

    private Tokens() {
    }

    /** The index just past the run of tchar starting at {@code from}; {@code from} itself when there is none. */
    public static int skipToken(String s, int from) {
        int i = from;
        while (i < s.length() && Ascii.isTchar(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** Whether {@code s} is one token: at least one tchar and nothing else. */
    public static boolean isToken(String s) {
        return !s.isEmpty() && skipToken(s, 0) == s.length();
    }

    /**
     * The index just past the quoted-string whose opening quote is at {@code openingQuote}, or -1 when it is
     * not closed or holds a character that qdtext and quoted-pair do not allow.
     */
    public static int skipQuotedString(String s, int openingQuote) {
        int i = openingQuote + 1;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\') {
                i++; // quoted-pair: the next char is literal
                if (i == s.length() || !isQuotedTextChar(s.charAt(i))) {
                    return -1;
                }
            } else if (!isQuotedTextChar(c)) {
                return -1;
            }
            i++;
        }
        return -1;
    }

    /** HTAB, SP, VCHAR or obs-text: what qdtext and quoted-pair take, the quote and backslash aside. */
    private static boolean isQuotedTextChar(char c) {
        return c == '\t' || (c >= ' ' && c != 0x7F && c <= 0xFF);
    }
}
