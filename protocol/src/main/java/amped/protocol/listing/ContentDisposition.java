package amped.protocol.listing;

import java.nio.charset.StandardCharsets;

/**
 * {@code Content-Disposition: attachment} for a file name of any characters (RFC 6266): an ASCII
 * {@code filename} every client reads, and when the name is not plain ASCII also {@code filename*} in UTF-8
 * (RFC 8187), which current clients prefer. Pure.
 */
public final class ContentDisposition {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private ContentDisposition() {
    }

    public static String attachment(String fileName) {
        StringBuilder ascii = new StringBuilder(fileName.length());
        boolean plain = true;
        for (int i = 0; i < fileName.length(); i++) {
            char c = fileName.charAt(i);
            // quotes, backslashes and controls would end or break the quoted string: never sent
            boolean safe = c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '%';
            ascii.append(safe ? c : '_');
            plain &= safe;
        }
        StringBuilder out = new StringBuilder(32 + 3 * fileName.length()).append("attachment; filename=\"")
                .append(ascii).append('"');
        if (!plain) {
            out.append("; filename*=UTF-8''");
            for (byte b : fileName.getBytes(StandardCharsets.UTF_8)) {
                int c = b & 0xFF;
                // RFC 8187 attr-char: ALPHA / DIGIT / "!#$&+-.^_`|~"
                if (c < 0x80 && (Character.isLetterOrDigit(c) || "!#$&+-.^_`|~".indexOf(c) >= 0)) {
                    out.append((char) c);
                } else {
                    out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
                }
            }
        }
        return out.toString();
    }
}
