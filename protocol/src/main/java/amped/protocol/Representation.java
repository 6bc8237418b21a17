package amped.protocol;

import amped.protocol.conditional.EntityTag;
import amped.protocol.encoding.ContentCoding;

/**
 * The representation of a file chosen for a response (RFC 9110 §3.2): the bytes of the file itself or of
 * a precompressed sibling, with the metadata that validators, ranges and headers are computed from.
 *
 * @param length             length of the representation's bytes
 * @param lastModifiedMillis modification time of those bytes
 * @param etag               strong validator of those bytes (distinct per coding)
 * @param contentType        media type of the <em>original</em> file, with charset where it applies
 * @param coding             content coding of the bytes sent
 * @param varies             whether other codings exist, so the response depends on Accept-Encoding
 * @param byteRanges         whether ranges of these bytes are served; false for a coding made per request
 *                           (gzip on the fly), whose bytes are not a file that a range could address again
 */
public record Representation(long length, long lastModifiedMillis, EntityTag etag, String contentType,
                             ContentCoding coding, boolean varies, boolean byteRanges) {

    /** The representation of a file on disk: ranges of it are served. */
    public Representation(long length, long lastModifiedMillis, EntityTag etag, String contentType,
                          ContentCoding coding, boolean varies) {
        this(length, lastModifiedMillis, etag, contentType, coding, varies, true);
    }
}
