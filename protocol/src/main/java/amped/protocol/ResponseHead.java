package amped.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Serialises a response head (status line and fields, RFC 9112 §4 and §5) into a reusable byte array.
 * One instance per connection is reset for every response, so writing a head allocates nothing once the
 * array has grown to fit. Field values are checked for CR and LF: a value built from request data can
 * never split the response.
 */
public final class ResponseHead {

    private static final byte[] HTTP_1_1 = ascii("HTTP/1.1 ");
    private static final byte[] COLON_SP = ascii(": ");
    private static final byte[] CRLF = ascii("\r\n");

    private byte[] bytes = new byte[512];
    private int length;
    private int status;

    /** Starts a new head with this status; everything written before is discarded. */
    public ResponseHead start(int statusCode) {
        length = 0;
        status = statusCode;
        append(HTTP_1_1);
        appendDecimal(statusCode);
        appendByte(' ');
        appendAscii(Status.reason(statusCode));
        append(CRLF);
        return this;
    }

    public int status() {
        return status;
    }

    public ResponseHead header(String name, String value) {
        appendAscii(name);
        append(COLON_SP);
        appendValue(value);
        append(CRLF);
        return this;
    }

    public ResponseHead header(String name, long value) {
        appendAscii(name);
        append(COLON_SP);
        appendDecimal(value);
        append(CRLF);
        return this;
    }

    /** Appends a complete, pre-encoded field line ("Name: value\r\n"), e.g. a constant or the cached Date. */
    public ResponseHead line(byte[] fieldLine) {
        append(fieldLine);
        return this;
    }

    /** Ends the head with the empty line. */
    public ResponseHead end() {
        append(CRLF);
        return this;
    }

    public int length() {
        return length;
    }

    /** Copies {@code count} bytes of the head, from {@code offset}, into {@code target}. */
    public void copyTo(ByteBuffer target, int offset, int count) {
        target.put(bytes, offset, count);
    }

    /**
     * The head as a buffer over its own bytes, without a copy: valid until the next {@link #start}, which
     * the owner does only once the head is sent.
     */
    public ByteBuffer view() {
        return ByteBuffer.wrap(bytes, 0, length);
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    /** The field lines written so far, without the status line. */
    public byte[] fieldBytes() {
        int start = 0;
        while (start + 1 < length && !(bytes[start] == '\r' && bytes[start + 1] == '\n')) {
            start++;
        }
        return Arrays.copyOfRange(bytes, Math.min(start + 2, length), length);
    }

    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    }

    /** Encodes a constant field line once, for {@link #line(byte[])}. */
    public static byte[] fieldLine(String name, String value) {
        return ascii(name + ": " + value + "\r\n");
    }

    private void appendValue(String value) {
        ensure(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c > 0xFF) {
                throw new IllegalArgumentException("header value with CR, LF or non-Latin-1 character");
            }
            bytes[length++] = (byte) c;
        }
    }

    private void appendAscii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            bytes[length++] = (byte) s.charAt(i);
        }
    }

    private void appendDecimal(long value) {
        if (value < 0) {
            appendByte('-');
            value = -value;
        }
        ensure(20);
        int start = length;
        do {
            bytes[length++] = (byte) ('0' + value % 10);
            value /= 10;
        } while (value != 0);
        for (int i = start, j = length - 1; i < j; i++, j--) {
            byte t = bytes[i];
            bytes[i] = bytes[j];
            bytes[j] = t;
        }
    }

    private void appendByte(int b) {
        ensure(1);
        bytes[length++] = (byte) b;
    }

    private void append(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, bytes, length, b.length);
        length += b.length;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
