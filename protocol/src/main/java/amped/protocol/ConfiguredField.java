package amped.protocol;

import amped.protocol.syntax.Tokens;
import java.util.Locale;
import java.util.Set;

/**
 * A header field the operator adds to every response ({@code --header 'NAME: VALUE'}). Pure. Refused with a
 * reason in the user's words: a name that is not a token, a value with CR, LF, NUL or another control
 * character (it could split the response), and the fields amped itself sets per response or that frame
 * the message, which a second copy would contradict.
 */
public record ConfiguredField(String name, String value) {

    /** Fields that frame the message or concern the connection (RFC 9110 §7.6.1, RFC 9112 §6). */
    private static final Set<String> FRAMING = Set.of("content-length", "transfer-encoding", "connection", "keep-alive",
            "upgrade", "te", "trailer", "proxy-connection");

    /** Fields amped writes itself where they apply; a fixed second value would contradict them. */
    private static final Set<String> OWN = Set.of("content-type", "content-range", "content-encoding", "etag",
            "last-modified", "date", "server", "location", "accept-ranges", "vary", "allow", "www-authenticate",
            "retry-after", "cache-control");

    /** Parses {@code NAME: VALUE}; throws {@link IllegalArgumentException} saying why it is refused. */
    public static ConfiguredField parse(String spec) {
        int colon = spec.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("no colon between the name and the value");
        }
        return of(spec.substring(0, colon), spec.substring(colon + 1));
    }

    /** The field {@code name: value} (the value's surrounding whitespace dropped), or why it is refused. */
    public static ConfiguredField of(String name, String untrimmedValue) {
        String value = untrimmedValue.strip();
        if (!Tokens.isToken(name)) {
            throw new IllegalArgumentException("the name must be a token (letters, digits and !#$%&'*+-.^_`|~, no spaces)");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7F || c > 0xFF) {
                throw new IllegalArgumentException("the value holds a control character (CR, LF, NUL or another)"
                        + " or a character outside Latin-1");
            }
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (FRAMING.contains(lower)) {
            throw new IllegalArgumentException(name + " frames the message or concerns the connection; amped sets it");
        }
        if (lower.equals("cache-control")) {
            throw new IllegalArgumentException("amped sets Cache-Control where it applies; use --cache-control for files");
        }
        if (OWN.contains(lower)) {
            throw new IllegalArgumentException("amped sets " + name + " itself where it applies");
        }
        return new ConfiguredField(name, value);
    }
}
