package amped.protocol;

/**
 * What looking up a request path found, as far as the answer depends on it: the input of
 * {@link ResponsePlans#plan}, which turns each case into a status, fields and a body.
 */
public sealed interface ResourceOutcome {

    /** A file, served as this representation (200, or 206/304/412/416 as the request's fields ask). */
    record Found(Representation representation) implements ResourceOutcome {
    }

    /**
     * A directory named without its trailing slash: 301 to {@code location}, the percent-encoded path with the
     * slash; the request's query is carried over.
     */
    record Redirect(String location) implements ResourceOutcome {
    }

    /** A directory without an index file, listed as this page of HTML, or of JSON when {@code json} (200). */
    record Listing(byte[] body, boolean json) implements ResourceOutcome {
    }

    /**
     * A directory asked for as a zip archive of {@code length} bytes, saved as {@code fileName} (200); the
     * server makes the bytes.
     */
    record Archive(String fileName, long length) implements ResourceOutcome {
    }

    /** Nothing to serve: 404, or 403 where the file system refused access. */
    record Refused(int status) implements ResourceOutcome {
    }

    /**
     * Not now: answering would take more memory than the server allows itself (a listing over its budget),
     * 503 with Retry-After in seconds.
     */
    record Unavailable(int retryAfterSeconds) implements ResourceOutcome {
    }

    /**
     * Nothing to serve, and the operator's page says so ({@code 404.html}): {@code status} with the page as
     * its whole body, no validators and no ranges (they would describe the page, not what was asked for).
     */
    record ErrorPage(int status, String contentType, long length) implements ResourceOutcome {
    }

    /** A file exists, but in no content coding Accept-Encoding allows (406). */
    record NotAcceptable() implements ResourceOutcome {
    }
}
