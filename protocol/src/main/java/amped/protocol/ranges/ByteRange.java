package amped.protocol.ranges;

/**
 * An inclusive range of byte offsets within a representation, as in a {@code Content-Range} (RFC 9110 §14.4).
 *
 * @param first offset of the first byte, {@code >= 0}
 * @param last  offset of the last byte, {@code >= first}
 */
public record ByteRange(long first, long last) {

    public ByteRange {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("invalid byte range " + first + "-" + last);
        }
    }

    /** Number of bytes in the range; at least 1. */
    public long length() {
        return last - first + 1;
    }

    /**
     * The Content-Range field value for this range of a representation, e.g. {@code bytes 0-99/1000} (§14.4).
     *
     * @throws IllegalArgumentException if the range does not lie within {@code completeLength}
     */
    public String contentRange(long completeLength) {
        if (last >= completeLength) {
            throw new IllegalArgumentException(
                    "range " + first + "-" + last + " outside representation of length " + completeLength);
        }
        return "bytes " + first + "-" + last + "/" + completeLength;
    }

    /**
     * The Content-Range field value a 416 response carries, e.g. {@code bytes *}{@code /1000}
     * ("unsatisfied-range", §14.4), so the client learns the current length.
     */
    public static String unsatisfiedContentRange(long completeLength) {
        if (completeLength < 0) {
            throw new IllegalArgumentException("negative length " + completeLength);
        }
        return "bytes */" + completeLength;
    }
}
