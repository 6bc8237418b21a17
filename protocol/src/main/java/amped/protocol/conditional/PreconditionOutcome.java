package amped.protocol.conditional;

/** Result of evaluating the preconditions of a request (RFC 9110 §13.2.2). */
public enum PreconditionOutcome {
    /** Perform the request as if it were unconditional. */
    PROCEED,
    /** Respond 304 (Not Modified), §15.4.5. */
    NOT_MODIFIED,
    /** Respond 412 (Precondition Failed), §15.5.13. */
    PRECONDITION_FAILED
}
