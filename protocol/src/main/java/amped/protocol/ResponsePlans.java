package amped.protocol;

import amped.protocol.listing.ContentDisposition;
import amped.protocol.listing.ListingAssets;
import java.util.random.RandomGenerator;

/**
 * Every status a lookup's answer can have, decided in one place: a {@link ResourceOutcome} goes in, the status
 * line and fields are written into a {@link ResponseHead} and the body comes out as a {@link BodyPlan}. Pure; the
 * connection adds Date, Server and Connection, and sends (for HEAD, the head without the body).
 */
public final class ResponsePlans {

    private ResponsePlans() {
    }

    /**
     * Plans the response to a GET or HEAD whose lookup found {@code outcome}.
     *
     * @param target       the parsed request-target (a redirect keeps its query)
     * @param cacheControl value of Cache-Control for file responses, or null for none
     * @param random       source of multipart boundaries
     * @param nowMillis    the current time (If-Range dates, see {@link FileResponses#plan})
     */
    public static BodyPlan plan(RequestHead request, RequestTarget target, ResourceOutcome outcome,
                                String cacheControl, RandomGenerator random, long nowMillis, ResponseHead out) {
        return switch (outcome) {
            case ResourceOutcome.Found(Representation rep) ->
                    FileResponses.plan(request, rep, cacheControl, random, nowMillis, out);
            case ResourceOutcome.Redirect(String location) -> {
                BodyPlan note = ErrorResponses.write(301, out);
                out.header("Location", target.rawQuery() == null ? location : location + "?" + target.rawQuery());
                yield note;
            }
            case ResourceOutcome.Listing(byte[] body, boolean json) -> {
                out.start(200);
                out.header("Content-Type", json ? "application/json" : "text/html; charset=utf-8");
                out.header("Content-Length", body.length);
                // a listing changes with the directory and has no validator, so caches must ask every time
                out.header("Cache-Control", "no-cache");
                // HTML or JSON as Accept asks
                out.header("Vary", "Accept");
                if (!json) {
                    out.header("Content-Security-Policy", ListingAssets.CONTENT_SECURITY_POLICY);
                }
                out.header("X-Content-Type-Options", "nosniff");
                yield new BodyPlan.Bytes(body);
            }
            case ResourceOutcome.Archive(String fileName, long length) -> {
                out.start(200);
                out.header("Content-Type", "application/zip");
                out.header("Content-Length", length);
                out.header("Content-Disposition", ContentDisposition.attachment(fileName));
                out.header("Cache-Control", "no-cache");
                yield new BodyPlan.Whole(length);
            }
            case ResourceOutcome.Refused(int status) -> ErrorResponses.write(status, out);
            case ResourceOutcome.ErrorPage(int status, String contentType, long length) -> {
                out.start(status);
                out.header("Content-Type", contentType);
                out.header("Content-Length", length);
                yield new BodyPlan.Whole(length);
            }
            case ResourceOutcome.Unavailable(int retryAfterSeconds) -> {
                BodyPlan error = ErrorResponses.write(503, out);
                out.header("Retry-After", retryAfterSeconds);
                yield error;
            }
            case ResourceOutcome.NotAcceptable() -> {
                BodyPlan error = ErrorResponses.write(406, out);
                // §12.5.5: the refusal depended on Accept-Encoding
                out.header("Vary", "Accept-Encoding");
                yield error;
            }
        };
    }

    /**
     * The fast path of a cached file: when the request has no precondition and no Range, starts {@code out} as
     * the plain 200 with {@code okFields} (from {@link FileResponses#okFields}, encoded once) and returns true;
     * otherwise writes nothing and returns false, and {@link #plan} decides.
     */
    public static boolean plainOk(RequestHead request, byte[] okFields, ResponseHead out) {
        if (!FileResponses.isUnconditional(request)) {
            return false;
        }
        out.start(200).line(okFields);
        return true;
    }
}
