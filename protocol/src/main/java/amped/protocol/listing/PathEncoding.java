package amped.protocol.listing;

import java.util.Objects;

/**
 * Percent-encodes decoded paths for use in URLs (RFC 3986, UTF-8).
 *
 * <p>Besides the unreserved characters, only the sub-delimiters that no common component
 * reinterprets are left as they are: {@code ! $ ( ) * , = : @}. The rest are encoded even though
 * RFC 3986 allows some of them in a segment: '&amp;' and '\'' because the result usually lands in
 * HTML attributes, '+' because form-style decoders turn it into a space, ';' because some servers
 * treat it as a path parameter delimiter.
 */
public final class PathEncoding {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** For each ASCII char, whether it may appear unencoded in a segment. */
    private static final boolean[] SAFE_IN_SEGMENT = new boolean[128];

    static {
        for (char c = 'a'; c <= 'z'; c++) {
            SAFE_IN_SEGMENT[c] = true;
        }
        for (char c = 'A'; c <= 'Z'; c++) {
            SAFE_IN_SEGMENT[c] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            SAFE_IN_SEGMENT[c] = true;
        }
        for (char c : "-._~!$()*,=:@".toCharArray()) {
            SAFE_IN_SEGMENT[c] = true;
        }
    }

    private PathEncoding() {
    }

    /**
     * Encodes one path segment: every character but the safe ones above becomes %XX for each of
     * its UTF-8 bytes (uppercase hex, space as %20). '/' is encoded, so the result is always a
     * single segment. A lone surrogate, which has no UTF-8 form, is encoded as U+FFFD.
     *
     * <p>The result may contain ':'; a caller using it as the first segment of a relative
     * reference must prefix "./" so it is not read as a scheme.
     */
    public static String encodeSegment(String segment) {
        Objects.requireNonNull(segment, "segment");
        int firstUnsafe = firstUnsafe(segment);
        if (firstUnsafe == segment.length()) {
            return segment;
        }
        StringBuilder out = new StringBuilder(segment.length() + 16);
        out.append(segment, 0, firstUnsafe);
        appendEncoded(out, segment, firstUnsafe);
        return out.toString();
    }

    /**
     * Encodes each '/'-separated segment of a decoded path and keeps the slashes, including
     * leading, trailing and repeated ones.
     */
    public static String encodePath(String decodedPath) {
        Objects.requireNonNull(decodedPath, "decodedPath");
        StringBuilder out = new StringBuilder(decodedPath.length() + 16);
        int start = 0;
        while (true) {
            int slash = decodedPath.indexOf('/', start);
            int end = slash < 0 ? decodedPath.length() : slash;
            appendEncodedSegment(out, decodedPath, start, end);
            if (slash < 0) {
                return out.toString();
            }
            out.append('/');
            start = slash + 1;
        }
    }

    /** Appends {@link #encodeSegment} of {@code segment} without an intermediate string. */
    static void appendEncodedSegment(StringBuilder out, String segment) {
        appendEncodedSegment(out, segment, 0, segment.length());
    }

    private static void appendEncodedSegment(StringBuilder out, String s, int start, int end) {
        String segment = start == 0 && end == s.length() ? s : s.substring(start, end);
        int firstUnsafe = firstUnsafe(segment);
        out.append(segment, 0, firstUnsafe);
        if (firstUnsafe < segment.length()) {
            appendEncoded(out, segment, firstUnsafe);
        }
    }

    private static int firstUnsafe(String segment) {
        for (int i = 0; i < segment.length(); i++) {
            if (!isSafe(segment.charAt(i))) {
                return i;
            }
        }
        return segment.length();
    }

    private static boolean isSafe(char c) {
        return c < 128 && SAFE_IN_SEGMENT[c];
    }

    /** Encodes {@code s} from {@code from} on, UTF-8 by hand to avoid a byte[] per segment. */
    private static void appendEncoded(StringBuilder out, String s, int from) {
        int i = from;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (isSafe(c)) {
                out.append(c);
                i++;
                continue;
            }
            int cp;
            if (Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                cp = Character.toCodePoint(c, s.charAt(i + 1));
                i += 2;
            } else {
                cp = Character.isSurrogate(c) ? 0xFFFD : c;
                i++;
            }
            appendUtf8Escaped(out, cp);
        }
    }

    private static void appendUtf8Escaped(StringBuilder out, int cp) {
        if (cp < 0x80) {
            appendByte(out, cp);
        } else if (cp < 0x800) {
            appendByte(out, 0xC0 | (cp >> 6));
            appendByte(out, 0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            appendByte(out, 0xE0 | (cp >> 12));
            appendByte(out, 0x80 | ((cp >> 6) & 0x3F));
            appendByte(out, 0x80 | (cp & 0x3F));
        } else {
            appendByte(out, 0xF0 | (cp >> 18));
            appendByte(out, 0x80 | ((cp >> 12) & 0x3F));
            appendByte(out, 0x80 | ((cp >> 6) & 0x3F));
            appendByte(out, 0x80 | (cp & 0x3F));
        }
    }

    private static void appendByte(StringBuilder out, int b) {
        out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
    }
}
