package amped.protocol.listing;

import java.util.Objects;

/**
 * Escapes text for HTML element content and quoted attribute values.
 *
 * <p>{@code & < > " '} become {@code &amp; &lt; &gt; &quot; &#39;}. Characters HTML forbids
 * in a document (they are parse errors, and some, such as NUL, are dropped or mangled
 * differently by different parsers) are replaced by U+FFFD REPLACEMENT CHARACTER, so what a
 * user sees is predictable and visibly "something odd was here":
 * <ul>
 *   <li>C0 controls other than TAB, LF and CR (which HTML treats as whitespace), and DEL;
 *   <li>C1 controls U+0080..U+009F;
 *   <li>lone surrogates, which have no UTF-8 encoding (a valid pair is kept);
 *   <li>noncharacters U+FDD0..U+FDEF and U+xxFFFE/U+xxFFFF.
 * </ul>
 */
public final class Html {

    private static final char REPLACEMENT = '\uFFFD';

    private Html() {
    }

    /** The escaped text; the same instance when nothing needed escaping. */
    public static String escape(String text) {
        Objects.requireNonNull(text, "text");
        int first = firstNeedingWork(text);
        if (first == text.length()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        out.append(text, 0, first);
        appendEscapedFrom(out, text, first);
        return out.toString();
    }

    /** Appends the escaped text to {@code out}, for building pages in one pass. */
    public static void appendEscaped(StringBuilder out, String text) {
        Objects.requireNonNull(text, "text");
        int first = firstNeedingWork(text);
        out.append(text, 0, first);
        if (first < text.length()) {
            appendEscapedFrom(out, text, first);
        }
    }

    private static int firstNeedingWork(String text) {
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (needsWork(c)) {
                // a well-formed pair that is not a noncharacter (emoji, say) is fine as it is
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))
                        && (Character.toCodePoint(c, text.charAt(i + 1)) & 0xFFFE) != 0xFFFE) {
                    i++;
                    continue;
                }
                return i;
            }
        }
        return n;
    }

    /** Cheap pre-check: true for every char that might be escaped or replaced. */
    private static boolean needsWork(char c) {
        if (c < 0x80) {
            return c < 0x20 || c == '&' || c == '<' || c == '>' || c == '"' || c == '\'' || c == 0x7F;
        }
        return c <= 0x9F || Character.isSurrogate(c) || (c >= 0xFDD0 && c <= 0xFDEF) || c >= 0xFFFE;
    }

    private static void appendEscapedFrom(StringBuilder out, String text, int from) {
        int n = text.length();
        for (int i = from; i < n; i++) {
            char c = text.charAt(i);
            if (!needsWork(c)) {
                out.append(c);
                continue;
            }
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                case '\t', '\n', '\r' -> out.append(c);
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < n
                            && Character.isLowSurrogate(text.charAt(i + 1))) {
                        int cp = Character.toCodePoint(c, text.charAt(i + 1));
                        // supplementary noncharacters end in FFFE or FFFF in every plane
                        if ((cp & 0xFFFE) == 0xFFFE) {
                            out.append(REPLACEMENT);
                        } else {
                            out.append(c).append(text.charAt(i + 1));
                        }
                        i++;
                    } else {
                        // control, DEL, C1, lone surrogate or BMP noncharacter
                        out.append(REPLACEMENT);
                    }
                }
            }
        }
    }
}
