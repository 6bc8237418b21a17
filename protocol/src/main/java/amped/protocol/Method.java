package amped.protocol;

import java.nio.charset.StandardCharsets;

/**
 * Request methods amped recognises. A file server implements only GET, HEAD and OPTIONS; the other
 * registered methods are "known but not allowed here" (405), anything else is unknown (501), as RFC 9110
 * §15.5.6 and §15.6.2 distinguish.
 */
public enum Method {
    GET, HEAD, OPTIONS, POST, PUT, DELETE, PATCH, TRACE, CONNECT,
    // WebDAV (RFC 4918) methods are registered; a client using them deserves 405, not 501
    PROPFIND, PROPPATCH, MKCOL, COPY, MOVE, LOCK, UNLOCK,
    /** A syntactically valid method token that is not registered. */
    UNKNOWN;

    private static final Method[] KNOWN = values();
    private final byte[] ascii = name().getBytes(StandardCharsets.US_ASCII);

    /** Looks a method token up without allocating; method names are case-sensitive (RFC 9110 §9.1). */
    static Method lookup(byte[] bytes, int start, int end) {
        int length = end - start;
        for (Method m : KNOWN) {
            byte[] name = m.ascii;
            if (m != UNKNOWN && name.length == length && regionEquals(bytes, start, name)) {
                return m;
            }
        }
        return UNKNOWN;
    }

    private static boolean regionEquals(byte[] bytes, int start, byte[] name) {
        for (int i = 0; i < name.length; i++) {
            if (bytes[start + i] != name[i]) {
                return false;
            }
        }
        return true;
    }
}
