package amped.protocol.ranges;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The framing of a {@code multipart/byteranges} body (RFC 9110 §14.6, RFC 2046 §5.1.1), computed up front so the
 * exact Content-Length is known before the first byte is sent and the file data can be streamed between the
 * pre-built part heads.
 *
 * <p>Body layout: for each range, {@link Part#head()} followed by that range's bytes; then {@link #trailer()}.
 * Every head starts with CRLF: for the first part that CRLF ends the (empty) preamble, which RFC 2046 allows, and
 * for the others it is the CRLF that belongs to the following delimiter, not to the preceding part's data.
 */
public final class MultipartByteranges {

    private static final String BOUNDARY_ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int MIN_RANDOM_BOUNDARY = 24;
    private static final int MAX_RANDOM_BOUNDARY = 40;
    /** RFC 2046 §5.1.1: a boundary is 1 to 70 characters. */
    private static final int MAX_BOUNDARY = 70;

    private final String boundary;
    private final List<Part> parts;
    private final byte[] trailer;
    private final long contentLength;

    /**
     * What precedes one range's data on the wire.
     *
     * @param head  the exact US-ASCII bytes of CRLF, delimiter line and part header section (ending in the empty
     *              line); defensively copied in and out
     * @param range the bytes of the representation that follow
     */
    public record Part(byte[] head, ByteRange range) {

        public Part {
            head = head.clone();
            Objects.requireNonNull(range, "range");
        }

        @Override
        public byte[] head() {
            return head.clone();
        }

        /** Head bytes plus data bytes. */
        public long length() {
            return head.length + range.length();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Part other && Arrays.equals(head, other.head) && range.equals(other.range);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(head) + range.hashCode();
        }

        @Override
        public String toString() {
            return "Part[head=" + new String(head, StandardCharsets.US_ASCII).replace("\r\n", "\\r\\n")
                    + ", range=" + range + "]";
        }
    }

    private MultipartByteranges(String boundary, List<Part> parts, byte[] trailer, long contentLength) {
        this.boundary = boundary;
        this.parts = parts;
        this.trailer = trailer;
        this.contentLength = contentLength;
    }

    /**
     * A fresh boundary of 24..40 characters from [0-9A-Za-z].
     *
     * <p>RFC 2046 requires that the delimiter not occur inside any encapsulated part. The part headers are ours and
     * never contain it, but the file data is streamed and arbitrary, so scanning it first would cost a full extra
     * read. A random boundary of at least 24 alphanumerics (over 140 bits) makes an accidental occurrence in the
     * data negligible; pass an unpredictable generator (e.g. SecureRandom) so that an author of served content
     * cannot embed the delimiter on purpose. Letters and digits are valid both as RFC 2046 bchars and as an HTTP
     * token, so the boundary parameter never needs quoting.
     */
    public static String randomBoundary(RandomGenerator random) {
        int length = random.nextInt(MIN_RANDOM_BOUNDARY, MAX_RANDOM_BOUNDARY + 1);
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = BOUNDARY_ALPHABET.charAt(random.nextInt(BOUNDARY_ALPHABET.length()));
        }
        return new String(chars);
    }

    /**
     * Lays out the body for the given ranges.
     *
     * @param boundary        1..70 characters, each a letter, digit or one of {@code '+-._} (safe both as RFC 2046
     *                        bchars and unquoted in the Content-Type parameter)
     * @param partContentType Content-Type of the selected representation, repeated in each part (§14.6); null when
     *                        a 200 response would have had none, in which case parts omit it
     * @param ranges          the ranges in the order to send, at least one, each within {@code completeLength}
     * @param completeLength  length of the whole representation, for each part's Content-Range
     */
    public static MultipartByteranges of(String boundary, String partContentType, List<ByteRange> ranges,
            long completeLength) {
        requireValidBoundary(boundary);
        if (partContentType != null) {
            requireFieldValue(partContentType);
        }
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException("no ranges");
        }
        List<Part> parts = new ArrayList<>(ranges.size());
        long contentLength = 0;
        for (ByteRange range : ranges) {
            StringBuilder head = new StringBuilder(96)
                    .append("\r\n--").append(boundary).append("\r\n");
            if (partContentType != null) {
                head.append("Content-Type: ").append(partContentType).append("\r\n");
            }
            head.append("Content-Range: ").append(range.contentRange(completeLength)).append("\r\n\r\n");
            Part part = new Part(head.toString().getBytes(StandardCharsets.US_ASCII), range);
            parts.add(part);
            contentLength = Math.addExact(contentLength, part.length());
        }
        byte[] trailer = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        contentLength = Math.addExact(contentLength, trailer.length);
        return new MultipartByteranges(boundary, List.copyOf(parts), trailer, contentLength);
    }

    public String boundary() {
        return boundary;
    }

    /** The Content-Type field value of the 206 response. */
    public String contentTypeHeaderValue() {
        return "multipart/byteranges; boundary=" + boundary;
    }

    /** The parts in sending order; immutable. */
    public List<Part> parts() {
        return parts;
    }

    /** The close-delimiter: {@code CRLF "--" boundary "--" CRLF}; a fresh copy on each call. */
    public byte[] trailer() {
        return trailer.clone();
    }

    /** Exact number of body bytes: all heads, all range data and the trailer. */
    public long contentLength() {
        return contentLength;
    }

    private static void requireValidBoundary(String boundary) {
        if (boundary.isEmpty() || boundary.length() > MAX_BOUNDARY) {
            throw new IllegalArgumentException("boundary must have 1..70 characters: " + boundary);
        }
        for (int i = 0; i < boundary.length(); i++) {
            char c = boundary.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
                    || c == '\'' || c == '+' || c == '-' || c == '.' || c == '_';
            if (!ok) {
                throw new IllegalArgumentException("invalid boundary character in " + boundary);
            }
        }
    }

    /** Rejects anything that could break out of the header line (CR, LF, other controls, non-ASCII). */
    private static void requireFieldValue(String value) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException("empty content type");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c > 0x7E) {
                throw new IllegalArgumentException("invalid character in content type: " + value);
            }
        }
    }
}
