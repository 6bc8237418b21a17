package amped.core.log;

/**
 * One finished (or aborted) response, as the access log records it. Request fields are null when the
 * request could not be parsed.
 *
 * @param startMillis    when the request head was complete (wall clock)
 * @param bodyBytes      body bytes actually sent (fewer than promised when aborted)
 * @param durationMillis from the request head to the last byte sent or the abort
 */
public record AccessRecord(String remoteAddress, long startMillis, String method, String target, String protocol,
                           int status, long bodyBytes, String referer, String userAgent, long durationMillis,
                           boolean aborted) {
}
