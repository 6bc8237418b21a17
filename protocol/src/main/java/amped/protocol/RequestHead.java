package amped.protocol;

import amped.protocol.syntax.Ascii;
import java.nio.charset.StandardCharsets;

/**
 * The head of one parsed request: request line and header fields, kept as offsets into the parser's byte
 * array so that parsing allocates nothing per request; strings are made only for the fields a handler
 * asks for. The object is owned and reused by its {@link RequestParser}: it is valid from the moment the
 * parser reports a complete head until the parser is asked to continue.
 */
public final class RequestHead {

    byte[] bytes;
    Method method;
    int methodStart;
    int methodEnd;
    int targetStart;
    int targetEnd;
    HttpVersion version;
    int headerCount;
    int[] nameStart;
    int[] nameEnd;
    int[] valueStart;
    int[] valueEnd;

    // derived from the fields once the head is complete (see RequestParser.finishHead)
    long contentLength;
    boolean chunked;
    boolean connectionClose;
    boolean connectionKeepAlive;
    boolean expectContinue;

    private String target;

    RequestHead(int initialHeaderSlots) {
        nameStart = new int[initialHeaderSlots];
        nameEnd = new int[initialHeaderSlots];
        valueStart = new int[initialHeaderSlots];
        valueEnd = new int[initialHeaderSlots];
    }

    void reset() {
        method = null;
        version = null;
        headerCount = 0;
        contentLength = -1;
        chunked = false;
        connectionClose = false;
        connectionKeepAlive = false;
        expectContinue = false;
        target = null;
    }

    void addHeader(int ns, int ne, int vs, int ve) {
        if (headerCount == nameStart.length) {
            int n = headerCount * 2;
            nameStart = java.util.Arrays.copyOf(nameStart, n);
            nameEnd = java.util.Arrays.copyOf(nameEnd, n);
            valueStart = java.util.Arrays.copyOf(valueStart, n);
            valueEnd = java.util.Arrays.copyOf(valueEnd, n);
        }
        nameStart[headerCount] = ns;
        nameEnd[headerCount] = ne;
        valueStart[headerCount] = vs;
        valueEnd[headerCount] = ve;
        headerCount++;
    }

    public Method method() {
        return method;
    }

    /** The method token as sent (useful when {@link #method()} is {@link Method#UNKNOWN}). */
    public String methodName() {
        return latin1(methodStart, methodEnd);
    }

    /** The request-target exactly as sent. */
    public String target() {
        if (target == null) {
            target = latin1(targetStart, targetEnd);
        }
        return target;
    }

    public HttpVersion version() {
        return version;
    }

    public int headerCount() {
        return headerCount;
    }

    public String headerName(int i) {
        return latin1(nameStart[i], nameEnd[i]);
    }

    public String headerValue(int i) {
        return latin1(valueStart[i], valueEnd[i]);
    }

    /** The value of the first field with this name (case-insensitive), or null. */
    public String header(String name) {
        int i = indexOf(name, 0);
        return i < 0 ? null : headerValue(i);
    }

    /**
     * All fields with this name combined into one comma-separated value, as RFC 9110 §5.3 allows for
     * list-based fields, or null when there is none.
     */
    public String headerList(String name) {
        int i = indexOf(name, 0);
        if (i < 0) {
            return null;
        }
        int next = indexOf(name, i + 1);
        if (next < 0) {
            return headerValue(i);
        }
        StringBuilder combined = new StringBuilder(headerValue(i));
        for (int j = next; j >= 0; j = indexOf(name, j + 1)) {
            combined.append(", ").append(headerValue(j));
        }
        return combined.toString();
    }

    /** How many fields carry this name. */
    public int headerCount(String name) {
        int n = 0;
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            n++;
        }
        return n;
    }

    /** Index of the first field at or after {@code from} with this name, or -1. */
    int indexOf(String name, int from) {
        for (int i = from; i < headerCount; i++) {
            if (nameEquals(i, name)) {
                return i;
            }
        }
        return -1;
    }

    boolean nameEquals(int i, String lowerOrAnyCase) {
        int start = nameStart[i];
        int length = nameEnd[i] - start;
        if (length != lowerOrAnyCase.length()) {
            return false;
        }
        for (int k = 0; k < length; k++) {
            if (Ascii.toLower(bytes[start + k]) != Ascii.toLower((byte) lowerOrAnyCase.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    /** Declared body length, or -1 when the request has no Content-Length. */
    public long contentLength() {
        return contentLength;
    }

    public boolean chunked() {
        return chunked;
    }

    /** Whether a body follows the head (which a file server reads and discards). */
    public boolean hasBody() {
        return chunked || contentLength > 0;
    }

    /** Whether the client asked for {@code Expect: 100-continue}. */
    public boolean expectsContinue() {
        return expectContinue;
    }

    /**
     * Whether the connection may stay open after this request: HTTP/1.1 unless {@code Connection: close},
     * HTTP/1.0 only with {@code Connection: keep-alive} (RFC 9112 §9.3).
     */
    public boolean keepAlive() {
        if (connectionClose) {
            return false;
        }
        return version == HttpVersion.HTTP_1_1 || connectionKeepAlive;
    }

    private String latin1(int start, int end) {
        return new String(bytes, start, end - start, StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        return methodName() + " " + target() + " " + (version == null ? "?" : version.text());
    }
}
