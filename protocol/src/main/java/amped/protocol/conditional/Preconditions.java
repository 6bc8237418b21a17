package amped.protocol.conditional;

import amped.protocol.syntax.HttpDate;
import amped.protocol.syntax.Ows;
import java.util.Optional;

/**
 * Evaluation of conditional request header fields (RFC 9110 §13).
 *
 * <p>The caller must only evaluate preconditions when the unconditional response would have been 2xx or 412
 * (§13.2.1), i.e. after the target resource was found. Dates compare at one-second resolution, the resolution of
 * HTTP-date, so the resource's modification time is truncated to whole seconds before every comparison.
 */
public final class Preconditions {

    private Preconditions() {
    }

    /**
     * Applies the precedence of §13.2.2 to the request's precondition fields (each null when absent).
     *
     * @param getOrHead          whether the request method is GET or HEAD
     * @param current            the selected representation's entity-tag, or null if it has none
     * @param lastModifiedMillis the selected representation's modification time
     */
    public static PreconditionOutcome evaluate(boolean getOrHead, String ifMatch, String ifNoneMatch,
            String ifModifiedSince, String ifUnmodifiedSince, EntityTag current, long lastModifiedMillis) {
        long lastModified = truncateToSeconds(lastModifiedMillis);

        // Step 1: If-Match (§13.1.1), strong comparison. An unparsable value cannot be shown to match, and a guard
        // we cannot evaluate must not let the guarded request through, so it fails like a non-matching list.
        if (ifMatch != null) {
            Optional<EntityTagCondition> condition = EntityTagCondition.parse(ifMatch);
            if (condition.isEmpty() || !condition.get().anyStrongMatch(current)) {
                return PreconditionOutcome.PRECONDITION_FAILED;
            }
        } else if (ifUnmodifiedSince != null) {
            // Step 2: If-Unmodified-Since (§13.1.4), only when If-Match is absent; an invalid date is ignored.
            long date = HttpDate.parse(Ows.trim(ifUnmodifiedSince));
            if (date != HttpDate.INVALID && lastModified > date) {
                return PreconditionOutcome.PRECONDITION_FAILED;
            }
        }

        // Step 3: If-None-Match (§13.1.2), weak comparison. An unparsable value is ignored, i.e. treated as absent:
        // unlike If-Match it only saves bandwidth, so serving the full response is always safe. Being absent, it
        // then lets If-Modified-Since apply in step 4.
        Optional<EntityTagCondition> noneMatch = ifNoneMatch == null
                ? Optional.empty()
                : EntityTagCondition.parse(ifNoneMatch);
        if (noneMatch.isPresent()) {
            if (noneMatch.get().anyWeakMatch(current)) {
                return getOrHead ? PreconditionOutcome.NOT_MODIFIED : PreconditionOutcome.PRECONDITION_FAILED;
            }
            return PreconditionOutcome.PROCEED; // condition true: skip If-Modified-Since (step 3 -> step 5)
        }

        // Step 4: If-Modified-Since (§13.1.3), GET/HEAD only; an invalid date (or a list of dates) is ignored.
        if (getOrHead && ifModifiedSince != null) {
            long date = HttpDate.parse(Ows.trim(ifModifiedSince));
            if (date != HttpDate.INVALID && lastModified <= date) {
                return PreconditionOutcome.NOT_MODIFIED;
            }
        }

        // Step 5.
        return PreconditionOutcome.PROCEED;
    }

    /**
     * Whether an If-Range condition (§13.1.5) allows answering a Range request with a partial response.
     *
     * <p>If-Range requires a strong validator: an entity-tag must strong-match the current one (a weak tag never
     * does), and a date must exactly equal the Last-Modified time. A value that is neither a valid entity-tag nor a
     * valid HTTP-date cannot be shown to hold, so the whole representation is sent, which is always correct.
     *
     * <p>This overload does not check whether the Last-Modified date is itself strong (§8.8.2.2: at least one
     * second older than the response Date), because it has no clock; see
     * {@link #ifRangeAllowsPartial(String, EntityTag, long, long)}.
     *
     * @param ifRange the If-Range field value, null when absent (then the range is honoured)
     */
    public static boolean ifRangeAllowsPartial(String ifRange, EntityTag current, long lastModifiedMillis) {
        if (ifRange == null) {
            return true;
        }
        String value = Ows.trim(ifRange);
        // §13.1.5: an entity-tag is told apart from an HTTP-date by a DQUOTE within the first three characters.
        if (value.startsWith("\"") || value.startsWith("W/\"")) {
            return EntityTag.parse(value).map(tag -> tag.strongMatches(current)).orElse(false);
        }
        long date = HttpDate.parse(value);
        return date != HttpDate.INVALID && date == truncateToSeconds(lastModifiedMillis);
    }

    /**
     * Like {@link #ifRangeAllowsPartial(String, EntityTag, long)}, but a date condition only counts when the
     * modification time can be a strong validator (§13.1.5: "the recipient SHOULD NOT send a partial response if the
     * date is not a strong validator"). §8.8.2.2 requires knowing the representation did not change twice within the
     * second the date names; a file modified in the current second (or, with a skewed clock, in the future) may
     * still change within that second, so the date is then treated as weak.
     */
    public static boolean ifRangeAllowsPartial(String ifRange, EntityTag current, long lastModifiedMillis,
            long nowMillis) {
        if (ifRange == null) {
            return true;
        }
        String value = Ows.trim(ifRange);
        boolean isDate = !(value.startsWith("\"") || value.startsWith("W/\""));
        if (isDate && truncateToSeconds(nowMillis) - truncateToSeconds(lastModifiedMillis) < 1000) {
            return false;
        }
        return ifRangeAllowsPartial(value, current, lastModifiedMillis);
    }

    private static long truncateToSeconds(long millis) {
        return Math.floorDiv(millis, 1000L) * 1000L;
    }

}
