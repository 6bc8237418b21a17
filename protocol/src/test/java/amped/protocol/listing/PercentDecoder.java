package amped.protocol.listing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Test-only RFC 3986 percent-decoder. Unlike URLDecoder it leaves '+' alone (that is form
 * encoding, not path encoding) and it rejects malformed escapes and invalid UTF-8 instead of
 * guessing, so a test can't pass by accident.
 */
final class PercentDecoder {

    private PercentDecoder() {
    }

    static String decode(String encoded) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                if (i + 2 >= encoded.length()) {
                    throw new IllegalArgumentException("truncated escape in " + encoded);
                }
                bytes.write(hex(encoded.charAt(i + 1)) << 4 | hex(encoded.charAt(i + 2)));
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                throw new IllegalArgumentException("raw non-ASCII char in " + encoded);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("invalid UTF-8 in " + encoded, e);
        }
    }

    private static int hex(char c) {
        int digit = Character.digit(c, 16);
        if (digit < 0 || c > 'f') {
            throw new IllegalArgumentException("bad hex digit " + c);
        }
        return digit;
    }
}
