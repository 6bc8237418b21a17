package amped.protocol;

import java.nio.charset.StandardCharsets;

/**
 * Heads and bodies of error responses: a short text/plain body with an exact Content-Length, the status
 * line repeated so that a person running curl sees what happened. Never a stack trace.
 */
public final class ErrorResponses {

    private static final String TEXT = "text/plain; charset=utf-8";

    private ErrorResponses() {
    }

    /** Starts {@code out} with {@code status} and the content headers of its short body; returns the body. */
    public static BodyPlan.Bytes write(int status, ResponseHead out) {
        byte[] body = (status + " " + Status.reason(status) + "\n").getBytes(StandardCharsets.US_ASCII);
        out.start(status);
        out.header("Content-Type", TEXT);
        out.header("Content-Length", body.length);
        return new BodyPlan.Bytes(body);
    }
}
