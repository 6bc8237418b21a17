package amped.protocol;

import amped.protocol.syntax.CommaList;
import amped.protocol.syntax.Tokens;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Cross-origin access for any page (Fetch standard, "CORS protocol"): every response says any origin may
 * read it, and shows scripts the fields a range download needs; a preflight is answered with what may be
 * asked. Pure. No credentials are involved ({@code *} forbids them): a script that wants a protected file
 * sends Authorization itself, which the preflight allows like any other requested field.
 */
public final class Cors {

    /** Fields of every response with --cors. */
    public static final byte[] RESPONSE_FIELDS = ("Access-Control-Allow-Origin: *\r\n"
            + "Access-Control-Expose-Headers: Content-Range, Content-Length, Content-Encoding, Accept-Ranges, ETag,"
            + " Last-Modified\r\n").getBytes(StandardCharsets.US_ASCII);

    /** What a preflight allows a request to send when it names nothing valid: the fields of downloads. */
    static final String DEFAULT_ALLOWED_HEADERS = "Range, If-Range, If-Match, If-None-Match, If-Modified-Since,"
            + " If-Unmodified-Since, Authorization";

    /** How long a browser may keep a preflight's answer (seconds); browsers cap it lower themselves. */
    static final int MAX_AGE_SECONDS = 86_400;

    private Cors() {
    }

    /** Whether an OPTIONS request is a CORS preflight: it has Origin and Access-Control-Request-Method. */
    public static boolean isPreflight(RequestHead request) {
        return request.method() == Method.OPTIONS && request.header("Origin") != null
                && request.header("Access-Control-Request-Method") != null;
    }

    /**
     * Starts {@code out} as the 204 answer to a preflight: the methods amped allows, the fields the request
     * asked for (echoed when they are all tokens, else the download fields), how long it holds. Allow-Origin
     * comes with {@link #RESPONSE_FIELDS}.
     */
    public static void preflight(RequestHead request, ResponseHead out) {
        out.start(204);
        out.header("Access-Control-Allow-Methods", RequestRoute.ALLOW);
        out.header("Access-Control-Allow-Headers", allowedHeaders(request.headerList("Access-Control-Request-Headers")));
        out.header("Access-Control-Max-Age", MAX_AGE_SECONDS);
        // the answer echoes the request's fields: a cache must keep one per list
        out.header("Vary", "Access-Control-Request-Headers");
    }

    /** The requested field names when every one is a token, else the fixed list of download fields. */
    static String allowedHeaders(String requested) {
        if (requested == null) {
            return DEFAULT_ALLOWED_HEADERS;
        }
        // empty elements are tolerated (RFC 9110 §5.6.1.2)
        List<String> names = CommaList.elements(requested).stream().filter(n -> !n.isEmpty()).toList();
        if (names.isEmpty() || !names.stream().allMatch(Tokens::isToken)) {
            return DEFAULT_ALLOWED_HEADERS;
        }
        return String.join(", ", names);
    }
}
