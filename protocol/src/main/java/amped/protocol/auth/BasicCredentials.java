package amped.protocol.auth;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The user and password of an {@code Authorization: Basic} field (RFC 7617), and the challenge a 401
 * carries. Pure. The credentials are UTF-8 (the charset the challenge announces, and what curl, browsers
 * and htpasswd use); a user-id cannot hold a colon, a password can.
 */
public record BasicCredentials(String user, String password) {

    /** The challenge of a 401: {@code Basic realm="…", charset="UTF-8"}, the realm's quotes and backslashes escaped. */
    public static String challenge(String realm) {
        StringBuilder b = new StringBuilder("Basic realm=\"");
        for (char c : realm.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.append("\", charset=\"UTF-8\"").toString();
    }

    /**
     * The credentials of an Authorization field's value, or null when there is no field, it is not the
     * Basic scheme, or its token is not base64 of UTF-8 {@code user:password} (all of which get the 401).
     */
    public static BasicCredentials parse(String authorization) {
        if (authorization == null) {
            return null;
        }
        String value = authorization.strip();
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).equalsIgnoreCase("Basic")) {
            return null;
        }
        String token = value.substring(space + 1).strip();
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return null;
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(decoded)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        int colon = text.indexOf(':');
        if (colon < 0 || text.chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
            // RFC 7617 §2: no control characters in either part
            return null;
        }
        return new BasicCredentials(text.substring(0, colon), text.substring(colon + 1));
    }

    /** The password as UTF-8 bytes, as bcrypt and htpasswd take it. */
    public byte[] passwordBytes() {
        ByteBuffer b = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return bytes;
    }

    @Override
    public String toString() {
        // never in a log line by accident
        return "BasicCredentials[user=" + user + ", password=***]";
    }
}
