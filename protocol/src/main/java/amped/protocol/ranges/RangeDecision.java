package amped.protocol.ranges;

import java.util.List;
import java.util.Objects;

/** What to send in answer to a Range request (RFC 9110 §14.2, §15.3.7, §15.5.17). */
public sealed interface RangeDecision {

    /** Ignore the Range header and send the whole representation with 200 (OK). */
    record Whole() implements RangeDecision {
    }

    /** Send one range with 206 (Partial Content) and a Content-Range header. */
    record Single(ByteRange range) implements RangeDecision {
        public Single {
            Objects.requireNonNull(range, "range");
        }
    }

    /**
     * Send several ranges with 206 as {@code multipart/byteranges} (§14.6).
     *
     * @param ranges immutable, ascending, neither overlapping nor adjacent, at least two
     */
    record Multiple(List<ByteRange> ranges) implements RangeDecision {
        public Multiple {
            ranges = List.copyOf(ranges);
            if (ranges.size() < 2) {
                throw new IllegalArgumentException("multipart needs at least two ranges: " + ranges);
            }
            for (int i = 1; i < ranges.size(); i++) {
                // first <= previous last + 1 means overlapping or adjacent; these must have been coalesced.
                // (Written as first - 1 so that a previous last of Long.MAX_VALUE cannot overflow.)
                if (ranges.get(i).first() - 1 <= ranges.get(i - 1).last()) {
                    throw new IllegalArgumentException("ranges not ascending and disjoint: " + ranges);
                }
            }
        }
    }

    /** No requested range is satisfiable: 416 (Range Not Satisfiable) with {@code Content-Range: bytes *}{@code /len}. */
    record Unsatisfiable() implements RangeDecision {
    }
}
