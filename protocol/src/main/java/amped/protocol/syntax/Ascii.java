package amped.protocol.syntax;

/**
 * Character classes of RFC 9110 / RFC 5234, by table lookup: over bytes for the request parser, over
 * chars for field values already decoded as ISO-8859-1.
 */
public final class Ascii {

    private static final boolean[] TCHAR = new boolean[256];
    private static final boolean[] FIELD_VCHAR = new boolean[256];
    private static final boolean[] TARGET_CHAR = new boolean[256];

    static {
        for (int c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
        // field-vchar = VCHAR / obs-text (RFC 9110 §5.5)
        for (int c = 0x21; c <= 0xFF; c++) {
            FIELD_VCHAR[c] = c != 0x7F;
        }
        // request-target: visible ASCII; raw bytes >= 0x80 are let through here and must then be valid
        // UTF-8 when the path is decoded (browsers and curl send them unencoded)
        System.arraycopy(FIELD_VCHAR, 0, TARGET_CHAR, 0, 256);
    }

    private Ascii() {
    }

    public static boolean isTchar(byte b) {
        return TCHAR[b & 0xFF];
    }

    /** tchar (RFC 9110 §5.6.2) of a field value held as a string. */
    public static boolean isTchar(char c) {
        return c < 256 && TCHAR[c];
    }

    public static boolean isFieldVchar(byte b) {
        return FIELD_VCHAR[b & 0xFF];
    }

    public static boolean isTargetChar(byte b) {
        return TARGET_CHAR[b & 0xFF];
    }

    public static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    public static int hexValue(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    public static byte toLower(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
    }

    /** SP or HTAB: the OWS of RFC 9110 §5.6.3. */
    public static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t';
    }

    /** SP or HTAB: the OWS of RFC 9110 §5.6.3. */
    public static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t';
    }
}
