package amped.protocol.ranges;

import amped.protocol.syntax.CommaList;
import amped.protocol.syntax.Ows;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Evaluates a {@code Range} request header against a representation of known length (RFC 9110 §14).
 *
 * <p>This only decides <em>what</em> to send. Whether Range applies at all (GET only, §14.2) and whether an
 * If-Range condition allows a partial response (§13.1.5) is the caller's business.
 */
public final class RangeRequests {

    /**
     * Upper bound on range-specs per request. §14.2 lets a server ignore or reject ranges that look like a denial of
     * service (many small or overlapping ranges, cf. CVE-2011-3192); honest clients rarely ask for more than a few.
     */
    public static final int MAX_RANGE_SPECS = 16;

    private static final String BYTES_UNIT = "bytes";
    private static final RangeDecision WHOLE = new RangeDecision.Whole();
    private static final RangeDecision UNSATISFIABLE = new RangeDecision.Unsatisfiable();

    private RangeRequests() {
    }

    /**
     * Decides how to answer a request carrying {@code rangeHeader} for a representation of
     * {@code representationLength} bytes.
     *
     * @param rangeHeader          the Range field value, or null when the request has none
     * @param representationLength length of the selected representation, {@code >= 0}
     * @return {@link RangeDecision.Whole} when there is no usable Range header (absent, invalid, unknown unit or
     *     suspiciously expensive), {@link RangeDecision.Unsatisfiable} when none of the ranges lies within the
     *     representation, otherwise the sorted, coalesced ranges to send
     */
    public static RangeDecision evaluate(String rangeHeader, long representationLength) {
        if (representationLength < 0) {
            throw new IllegalArgumentException("negative representation length " + representationLength);
        }
        if (rangeHeader == null) {
            return WHOLE;
        }
        // §14.2: a server MAY ignore the Range header field; we do so for anything we cannot (or will not) parse.
        List<RangeSpec> specs = parseRangeSet(rangeHeader);
        if (specs == null) {
            return WHOLE;
        }
        if (representationLength == 0) {
            // §14.1.1: for a zero-length representation only a suffix-range with a non-zero length is satisfiable, yet
            // there is no byte to put in a 206. Serving the (empty) whole representation with 200 answers it fully.
            return specs.stream().anyMatch(spec -> spec.isSuffix() && spec.suffixLength() > 0) ? WHOLE : UNSATISFIABLE;
        }

        List<ByteRange> satisfiable = new ArrayList<>(specs.size());
        long totalLength = 0;
        for (RangeSpec spec : specs) {
            ByteRange range = spec.resolve(representationLength);
            if (range != null) {
                satisfiable.add(range);
                totalLength = saturatingAdd(totalLength, range.length());
            }
        }
        if (satisfiable.isEmpty()) {
            return UNSATISFIABLE;
        }
        // Amplification defence: ranges that together ask for more bytes than the representation has can only
        // come from overlap; sending the whole thing once is never more expensive than honouring them.
        if (totalLength > representationLength) {
            return WHOLE;
        }
        List<ByteRange> coalesced = coalesce(satisfiable);
        return coalesced.size() == 1
                ? new RangeDecision.Single(coalesced.get(0))
                : new RangeDecision.Multiple(coalesced);
    }

    /**
     * Sorts the ranges and merges those that overlap or touch (§14.6 allows coalescing; touching ranges would only
     * cost an extra part header).
     *
     * @return an immutable ascending list of disjoint, non-adjacent ranges covering exactly the union of the input
     */
    public static List<ByteRange> coalesce(List<ByteRange> ranges) {
        List<ByteRange> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingLong(ByteRange::first));
        List<ByteRange> merged = new ArrayList<>(sorted.size());
        for (ByteRange range : sorted) {
            int lastIndex = merged.size() - 1;
            // last <= Long.MAX_VALUE - 1 is not guaranteed for arbitrary input, so compare without "+ 1" overflow.
            if (lastIndex >= 0 && range.first() - 1 <= merged.get(lastIndex).last()) {
                ByteRange previous = merged.get(lastIndex);
                merged.set(lastIndex, new ByteRange(previous.first(), Math.max(previous.last(), range.last())));
            } else {
                merged.add(range);
            }
        }
        return List.copyOf(merged);
    }

    /**
     * Parses {@code ranges-specifier = range-unit "=" range-set} (§14.1.1, §14.2) with the list rules of §5.6.1.2.
     *
     * @return the range-specs, or null if the header must be ignored (syntax error, other unit, too many specs)
     */
    private static List<RangeSpec> parseRangeSet(String header) {
        String value = Ows.trim(header);
        // Range units are case-insensitive (§14.1); no whitespace is allowed around "=".
        if (value.length() <= BYTES_UNIT.length()
                || !value.regionMatches(true, 0, BYTES_UNIT, 0, BYTES_UNIT.length())
                || value.charAt(BYTES_UNIT.length()) != '=') {
            return null;
        }
        List<RangeSpec> specs = new ArrayList<>();
        for (String element : CommaList.elements(value.substring(BYTES_UNIT.length() + 1))) {
            // §5.6.1.2: recipients must tolerate empty list elements; they do not count as range-specs.
            if (!element.isEmpty()) {
                if (specs.size() == MAX_RANGE_SPECS) {
                    return null;
                }
                RangeSpec spec = RangeSpec.parse(element);
                if (spec == null) {
                    return null;
                }
                specs.add(spec);
            }
        }
        // range-set = 1#range-spec: at least one non-empty element.
        return specs.isEmpty() ? null : specs;
    }

    private static long saturatingAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum; // both operands are non-negative
    }

    /**
     * One syntactically valid range-spec. An int-range keeps {@code first}/{@code last} (an open range has
     * {@code last = Long.MAX_VALUE}); a suffix-range has {@code first = -1} and its length in {@code last}.
     * Numbers saturate at Long.MAX_VALUE, so absurdly long digit strings cannot overflow: a huge first-pos is then
     * simply unsatisfiable and a huge last-pos or suffix-length is clamped to the representation.
     */
    private record RangeSpec(long first, long last) {

        boolean isSuffix() {
            return first < 0;
        }

        long suffixLength() {
            return last;
        }

        /** §14.1.1 satisfiability for a non-empty representation; null when unsatisfiable. */
        ByteRange resolve(long length) {
            if (isSuffix()) {
                long suffix = suffixLength();
                return suffix == 0 ? null : new ByteRange(length - Math.min(suffix, length), length - 1);
            }
            return first >= length ? null : new ByteRange(first, Math.min(last, length - 1));
        }

        // int-range = first-pos "-" [ last-pos ]; suffix-range = "-" suffix-length; all positions 1*DIGIT.
        static RangeSpec parse(String element) {
            int dash = element.indexOf('-');
            if (dash < 0) {
                return null;
            }
            if (dash == 0) {
                long suffix = parseDigits(element, 1, element.length());
                return suffix < 0 ? null : new RangeSpec(-1, suffix);
            }
            long first = parseDigits(element, 0, dash);
            if (first < 0) {
                return null;
            }
            if (dash == element.length() - 1) {
                return new RangeSpec(first, Long.MAX_VALUE);
            }
            long last = parseDigits(element, dash + 1, element.length());
            // §14.1.1: an int-range whose last-pos is less than its first-pos is invalid.
            return last < first ? null : new RangeSpec(first, last);
        }

        /** 1*DIGIT saturating at Long.MAX_VALUE; -1 if empty or not all ASCII digits. */
        private static long parseDigits(String s, int from, int to) {
            if (from >= to) {
                return -1;
            }
            long value = 0;
            for (int i = from; i < to; i++) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
                int digit = c - '0';
                value = value > (Long.MAX_VALUE - digit) / 10 ? Long.MAX_VALUE : value * 10 + digit;
            }
            return value;
        }
    }
}
