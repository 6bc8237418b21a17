package amped.protocol;

import amped.protocol.conditional.PreconditionOutcome;
import amped.protocol.conditional.Preconditions;
import amped.protocol.encoding.ContentCoding;
import amped.protocol.ranges.ByteRange;
import amped.protocol.ranges.MultipartByteranges;
import amped.protocol.ranges.RangeDecision;
import amped.protocol.ranges.RangeRequests;
import amped.protocol.syntax.HttpDate;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The HTTP semantics of answering GET or HEAD for a file representation, in one place: preconditions
 * (RFC 9110 §13.2.2), ranges and If-Range (§14, §13.1.5), and the representation headers of 200, 206,
 * 304, 412 and 416. Pure: it reads the request head and the representation's metadata, writes the status
 * and representation fields into a {@link ResponseHead}, and says which bytes to send. The connection adds
 * Date, Server and Connection, and sends. Callers reach it through {@link ResponsePlans}, for a found file.
 */
public final class FileResponses {

    private static final String[] CONDITIONAL_FIELDS = {
        "if-match", "if-none-match", "if-modified-since", "if-unmodified-since", "if-range", "range"
    };

    private FileResponses() {
    }

    /**
     * Plans the response to a GET or HEAD of {@code rep}. The returned plan describes the body a GET
     * carries; for HEAD the caller sends the same head and no body. A HEAD with Range gets the 206 or 416
     * head a GET would: RFC 9110 §14.2 defines ranges for GET only, but §9.3.2 asks HEAD to mirror GET's
     * fields, nginx answers this way, and clients probe range support with HEAD.
     *
     * @param cacheControl value of Cache-Control for file responses, or null for none
     * @param random       source of multipart boundaries
     * @param nowMillis    the current time: a Last-Modified date only counts as a strong validator for
     *                     If-Range once it is at least a second old (§8.8.2.2, §13.1.5)
     */
    static BodyPlan plan(RequestHead request, Representation rep, String cacheControl,
                                RandomGenerator random, long nowMillis, ResponseHead out) {
        PreconditionOutcome precondition = Preconditions.evaluate(true,
                request.headerList("If-Match"), request.headerList("If-None-Match"),
                request.header("If-Modified-Since"), request.header("If-Unmodified-Since"),
                rep.etag(), rep.lastModifiedMillis());
        return switch (precondition) {
            case NOT_MODIFIED -> {
                // §15.4.5: the fields a 200 would carry that guide caches, and no content
                out.start(304);
                validators(rep, out);
                caching(rep, cacheControl, out);
                yield BodyPlan.NONE;
            }
            case PRECONDITION_FAILED -> {
                BodyPlan error = ErrorResponses.write(412, out);
                validators(rep, out);
                caching(rep, cacheControl, out);
                yield error;
            }
            case PROCEED -> proceed(request, rep, cacheControl, random, nowMillis, out);
        };
    }

    /** The 200, 206 or 416 of a request whose preconditions hold (or that has none). */
    private static BodyPlan proceed(RequestHead request, Representation rep, String cacheControl,
                                    RandomGenerator random, long nowMillis, ResponseHead out) {
        return switch (rangesAsked(request, rep, nowMillis)) {
            case RangeDecision.Single(ByteRange range) -> {
                out.start(206);
                out.header("Content-Type", rep.contentType());
                out.header("Content-Range", range.contentRange(rep.length()));
                out.header("Content-Length", range.length());
                representationFields(rep, cacheControl, out);
                yield new BodyPlan.Single(range);
            }
            case RangeDecision.Multiple(List<ByteRange> ranges) -> {
                MultipartByteranges body = MultipartByteranges.of(MultipartByteranges.randomBoundary(random),
                        rep.contentType(), ranges, rep.length());
                out.start(206);
                out.header("Content-Type", body.contentTypeHeaderValue());
                out.header("Content-Length", body.contentLength());
                representationFields(rep, cacheControl, out);
                yield new BodyPlan.Multipart(body);
            }
            case RangeDecision.Unsatisfiable() -> {
                BodyPlan error = ErrorResponses.write(416, out);
                out.header("Content-Range", ByteRange.unsatisfiedContentRange(rep.length()));
                // Not representationFields: the content here is the plain error text, so a Content-Encoding of
                // the (compressed) representation would make clients decode it wrongly (RFC 9110 §8.4).
                out.header("Accept-Ranges", "bytes");
                validators(rep, out);
                caching(rep, cacheControl, out);
                yield error;
            }
            case RangeDecision.Whole() -> {
                out.start(200);
                okFields(rep, cacheControl, out);
                yield new BodyPlan.Whole(rep.length());
            }
        };
    }

    /**
     * Whether the request has none of the preconditions of RFC 9110 §13 (If-Match, If-None-Match,
     * If-Modified-Since, If-Unmodified-Since, If-Range) and no Range: then a file's response is its plain 200.
     * On the path of every cached GET, so it compares names in place and allocates nothing.
     */
    static boolean isUnconditional(RequestHead request) {
        for (int i = 0; i < request.headerCount(); i++) {
            for (String name : CONDITIONAL_FIELDS) {
                if (request.nameEquals(i, name)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The fields of the plain 200 for {@code rep} (what {@link #plan} writes after the status line when the
     * request has no precondition and no Range), encoded once, for a caller that keeps them with the
     * representation and answers such requests with {@code out.start(200).line(fields)}.
     */
    public static byte[] okFields(Representation rep, String cacheControl) {
        ResponseHead head = new ResponseHead().start(200);
        okFields(rep, cacheControl, head);
        return head.fieldBytes();
    }

    private static void okFields(Representation rep, String cacheControl, ResponseHead out) {
        out.header("Content-Type", rep.contentType());
        out.header("Content-Length", rep.length());
        representationFields(rep, cacheControl, out);
    }

    /** The Range decision, or Whole when there is no usable Range or If-Range says the client's copy is stale. */
    private static RangeDecision rangesAsked(RequestHead request, Representation rep, long nowMillis) {
        if (!rep.byteRanges() || request.headerCount("Range") != 1) {
            // ranges not served for this representation, no Range, or several Range fields, which is not a
            // valid list to act on: serve the whole (§14.2: a server MAY ignore Range)
            return new RangeDecision.Whole();
        }
        if (!Preconditions.ifRangeAllowsPartial(request.header("If-Range"), rep.etag(), rep.lastModifiedMillis(), nowMillis)) {
            return new RangeDecision.Whole();
        }
        return RangeRequests.evaluate(request.header("Range"), rep.length());
    }

    private static void representationFields(Representation rep, String cacheControl, ResponseHead out) {
        if (rep.byteRanges()) {
            out.header("Accept-Ranges", "bytes");
        }
        if (rep.coding() != ContentCoding.IDENTITY) {
            out.header("Content-Encoding", rep.coding().token());
        }
        validators(rep, out);
        caching(rep, cacheControl, out);
    }

    private static void validators(Representation rep, ResponseHead out) {
        out.header("Last-Modified", HttpDate.format(rep.lastModifiedMillis()));
        if (rep.etag() != null) {
            out.header("ETag", rep.etag().headerValue());
        }
    }

    private static void caching(Representation rep, String cacheControl, ResponseHead out) {
        if (rep.varies()) {
            out.header("Vary", "Accept-Encoding");
        }
        if (cacheControl != null) {
            out.header("Cache-Control", cacheControl);
        }
    }
}
