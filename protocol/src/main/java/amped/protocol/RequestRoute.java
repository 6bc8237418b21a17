package amped.protocol;

/**
 * What kind of answer a request head calls for, decided from the method and the target alone (no file
 * system): an immediate status, an OPTIONS answer, or a file-system lookup of a path.
 */
public sealed interface RequestRoute {

    /** Methods a file server supports, for Allow. */
    String ALLOW = "GET, HEAD, OPTIONS";

    /** Answer with this error status; {@code allow} adds an Allow field (405). */
    record Reject(int status, boolean allow) implements RequestRoute {
    }

    /** OPTIONS: 204 with Allow. */
    record Options() implements RequestRoute {
    }

    /** GET or HEAD of a path under the root. */
    record Lookup(RequestTarget target, boolean headOnly) implements RequestRoute {
    }

    /** Routes a complete request head. */
    static RequestRoute of(RequestHead head) {
        Method method = head.method();
        if (method == Method.UNKNOWN) {
            return new Reject(501, false);
        }
        if (method != Method.GET && method != Method.HEAD && method != Method.OPTIONS) {
            return new Reject(405, true);
        }
        RequestTarget target;
        try {
            target = RequestTarget.parse(head.target());
        } catch (RequestTarget.InvalidTargetException e) {
            return new Reject(400, false);
        }
        if (method == Method.OPTIONS) {
            return new Options();
        }
        if (target.asterisk()) {
            // RFC 9112 §3.2.4: the asterisk form is only for OPTIONS
            return new Reject(400, false);
        }
        return new Lookup(target, method == Method.HEAD);
    }
}
