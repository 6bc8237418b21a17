package amped.protocol.ranges;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class RangeRequestsTest {

    /** Renders a decision compactly: "whole", "unsatisfiable" or "a-b[,c-d...]". */
    private static String describe(RangeDecision decision) {
        return switch (decision) {
            case RangeDecision.Whole() -> "whole";
            case RangeDecision.Unsatisfiable() -> "unsatisfiable";
            case RangeDecision.Single(ByteRange range) -> range.first() + "-" + range.last();
            case RangeDecision.Multiple(List<ByteRange> ranges) -> ranges.stream()
                    .map(r -> r.first() + "-" + r.last())
                    .collect(Collectors.joining(","));
        };
    }

    @ParameterizedTest(name = "[{index}] {0} of {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        // basic forms (RFC 9110 §14.1.2 examples on a 10000-byte representation)
        "bytes=0-499            | 10000 | 0-499",
        "bytes=500-999          | 10000 | 500-999",
        "bytes=-500             | 10000 | 9500-9999",
        "bytes=9500-            | 10000 | 9500-9999",
        "bytes=0-0,-1           | 10000 | 0-0,9999-9999",
        "bytes=0-               | 10000 | 0-9999",
        // unit is case-insensitive; OWS after '=' and around commas; empty elements tolerated
        "BYTES=0-9              | 100   | 0-9",
        "Bytes=0-9              | 100   | 0-9",
        "bytes= 0-9             | 100   | 0-9",
        "bytes=0-9 , 20-29      | 100   | 0-9,20-29",
        "bytes=0-9,\t20-29      | 100   | 0-9,20-29",
        "bytes=,0-9,,20-29,     | 100   | 0-9,20-29",
        "'  bytes=0-9  '        | 100   | 0-9",
        "bytes=007-010          | 100   | 7-10",
        // clamping
        "bytes=90-200           | 100   | 90-99",
        "bytes=-200             | 100   | 0-99",
        "bytes=99-99            | 100   | 99-99",
        "bytes=-1               | 1     | 0-0",
        // unsatisfiable
        "bytes=100-             | 100   | unsatisfiable",
        "bytes=100-200          | 100   | unsatisfiable",
        "bytes=-0               | 100   | unsatisfiable",
        "bytes=100-,200-300,-0  | 100   | unsatisfiable",
        // unsatisfiable specs mixed with satisfiable ones are dropped
        "bytes=200-300,0-9      | 100   | 0-9",
        "bytes=-0,5-9           | 100   | 5-9",
        // sorting and coalescing of overlapping and adjacent ranges
        "bytes=20-29,0-9        | 100   | 0-9,20-29",
        "bytes=0-9,10-19        | 100   | 0-19",
        "bytes=0-9,5-14         | 100   | 0-14",
        "bytes=10-19,0-9,30-39  | 100   | 0-19,30-39",
        "bytes=0-4,6-9          | 100   | 0-4,6-9",
        "bytes=-10,0-9          | 100   | 0-9,90-99",
        "bytes=0-49,50-         | 100   | 0-99",
        "bytes=50-,-50          | 100   | 50-99",
        // zero-length representation
        "bytes=0-               | 0     | unsatisfiable",
        "bytes=0-0              | 0     | unsatisfiable",
        "bytes=-0               | 0     | unsatisfiable",
        "bytes=-1               | 0     | whole",
        "bytes=0-5,-1           | 0     | whole",
        // syntax errors anywhere: ignore the header
        "bytes=                 | 100   | whole",
        "bytes=,                | 100   | whole",
        "'bytes= , '            | 100   | whole",
        "bytes                  | 100   | whole",
        "bytes 0-9              | 100   | whole",
        "bytes =0-9             | 100   | whole",
        "byte=0-9               | 100   | whole",
        "bytesx=0-9             | 100   | whole",
        "items=0-9              | 100   | whole",
        "=0-9                   | 100   | whole",
        "''                     | 100   | whole",
        "bytes=0-9,x            | 100   | whole",
        "bytes=0-9,10           | 100   | whole",
        "bytes=9-0              | 100   | whole",
        "bytes=200-100          | 100   | whole",
        "bytes=0-9,9-0          | 100   | whole",
        "bytes=-                | 100   | whole",
        "bytes=--5              | 100   | whole",
        "bytes=1-2-3            | 100   | whole",
        "bytes=+1-5             | 100   | whole",
        "bytes=1-+5             | 100   | whole",
        "bytes=-+5              | 100   | whole",
        "bytes=1 0-20           | 100   | whole",
        "bytes=10-2 0           | 100   | whole",
        "bytes=0 -9             | 100   | whole",
        "bytes=0- 9             | 100   | whole",
        "bytes=0x10-20          | 100   | whole",
        "bytes=１-2              | 100   | whole",
        "bytes=0-9;q=1          | 100   | whole",
        "bytes=0-9 20-29        | 100   | whole",
        "bytes=0-9,bytes=20-29  | 100   | whole",
        // huge numbers saturate instead of overflowing
        "bytes=99999999999999999999999999-                          | 100 | unsatisfiable",
        "bytes=0-99999999999999999999999999                         | 100 | 0-99",
        "bytes=-99999999999999999999999999                          | 100 | 0-99",
        "bytes=9223372036854775807-                                 | 100 | unsatisfiable",
        "bytes=9223372036854775808-9223372036854775809              | 100 | unsatisfiable",
        "bytes=5-99999999999999999999999999,200-300                 | 100 | 5-99",
        "bytes=9223372036854775806-99999999999999999999 | 9223372036854775807 | 9223372036854775806-9223372036854775806",
        // amplification defence: overlapping ranges asking for more than the representation
        "bytes=0-99,0-99        | 100   | whole",
        "bytes=0-60,40-99       | 100   | whole",
        "bytes=0-,0-            | 100   | whole",
        "bytes=-100,-100        | 100   | whole",
        "bytes=0-50,50-99       | 100   | whole",
        "bytes=0-49,50-99       | 100   | 0-99",
        "bytes=0-0,0-0          | 100   | 0-0",
        "bytes=0-9,200-,0-9     | 100   | 0-9",
    })
    void evaluates(String header, long length, String expected) {
        assertEquals(expected, describe(RangeRequests.evaluate(header, length)));
    }

    @Test
    void absentHeaderMeansWhole() {
        assertInstanceOf(RangeDecision.Whole.class, RangeRequests.evaluate(null, 100));
        assertInstanceOf(RangeDecision.Whole.class, RangeRequests.evaluate(null, 0));
    }

    @Test
    void negativeLengthIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> RangeRequests.evaluate("bytes=0-1", -1));
    }

    static List<Object[]> specCounts() {
        return List.of(
                new Object[] {1, "0-0"}, new Object[] {16, "0-0,2-2,...,30-30"},
                new Object[] {17, "whole"}, new Object[] {100, "whole"});
    }

    @ParameterizedTest
    @MethodSource("specCounts")
    void atMostSixteenRangeSpecs(int count, String expected) {
        // disjoint single-byte ranges 0-0, 2-2, 4-4, ... so that no other rule interferes
        String header = "bytes=" + IntStream.range(0, count)
                .mapToObj(i -> (2 * i) + "-" + (2 * i)).collect(Collectors.joining(","));
        RangeDecision decision = RangeRequests.evaluate(header, 10_000);
        switch (count) {
            case 1 -> assertEquals(new RangeDecision.Single(new ByteRange(0, 0)), decision);
            case 16 -> assertEquals(16, ((RangeDecision.Multiple) decision).ranges().size());
            default -> assertEquals("whole", describe(decision), expected);
        }
    }

    @Test
    void emptyElementsDoNotCountTowardsTheLimit() {
        String sixteen = IntStream.range(0, 16).mapToObj(i -> (2 * i) + "-" + (2 * i))
                .collect(Collectors.joining(",,,"));
        RangeDecision decision = RangeRequests.evaluate("bytes=,," + sixteen + ",,", 10_000);
        assertEquals(16, ((RangeDecision.Multiple) decision).ranges().size());
    }

    @Test
    void unsatisfiableSpecsCountTowardsTheLimit() {
        String header = "bytes=0-0," + IntStream.range(0, 16).mapToObj(i -> "500-")
                .collect(Collectors.joining(","));
        assertInstanceOf(RangeDecision.Whole.class, RangeRequests.evaluate(header, 100));
    }

    @Test
    void multipleRejectsRangesThatShouldHaveBeenCoalesced() {
        ByteRange a = new ByteRange(0, 9);
        assertThrows(IllegalArgumentException.class, () -> new RangeDecision.Multiple(List.of(a)));
        assertThrows(IllegalArgumentException.class,
                () -> new RangeDecision.Multiple(List.of(a, new ByteRange(10, 19))));
        assertThrows(IllegalArgumentException.class,
                () -> new RangeDecision.Multiple(List.of(new ByteRange(20, 29), a)));
        assertThrows(IllegalArgumentException.class, () -> new RangeDecision.Multiple(
                List.of(new ByteRange(0, Long.MAX_VALUE), new ByteRange(5, 6))));
        assertThrows(UnsupportedOperationException.class,
                () -> new RangeDecision.Multiple(List.of(a, new ByteRange(11, 19))).ranges().clear());
    }

    @Test
    void coalesceKeepsSeparateRangesAndMergesTheRest() {
        List<ByteRange> merged = RangeRequests.coalesce(List.of(
                new ByteRange(50, 60), new ByteRange(0, 10), new ByteRange(5, 7), new ByteRange(11, 12),
                new ByteRange(59, 70), new ByteRange(72, 72)));
        assertEquals(List.of(new ByteRange(0, 12), new ByteRange(50, 70), new ByteRange(72, 72)), merged);
        assertEquals(List.of(new ByteRange(0, Long.MAX_VALUE)), RangeRequests.coalesce(List.of(
                new ByteRange(Long.MAX_VALUE, Long.MAX_VALUE), new ByteRange(0, Long.MAX_VALUE - 1))));
    }

    // ---- properties ----

    @Property
    void coalescedRangesAreOrderedDisjointNonAdjacentAndCoverTheUnion(
            @ForAll @Size(max = 20) List<@IntRange(min = 0, max = 200) Integer> firsts,
            @ForAll @Size(max = 20) List<@IntRange(min = 0, max = 30) Integer> lengths) {
        List<ByteRange> input = new ArrayList<>();
        BitSet union = new BitSet();
        for (int i = 0; i < Math.min(firsts.size(), lengths.size()); i++) {
            int first = firsts.get(i);
            int last = first + lengths.get(i);
            input.add(new ByteRange(first, last));
            union.set(first, last + 1);
        }
        List<ByteRange> merged = RangeRequests.coalesce(input);
        BitSet covered = new BitSet();
        for (int i = 0; i < merged.size(); i++) {
            ByteRange range = merged.get(i);
            if (i > 0) {
                assertTrue(range.first() > merged.get(i - 1).last() + 1, "gap between " + merged);
            }
            covered.set((int) range.first(), (int) range.last() + 1);
        }
        assertEquals(union, covered);
    }

    @Property
    void evaluateNeverThrowsOnArbitraryStrings(@ForAll String header,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long length) {
        RangeRequests.evaluate(header, length);
        RangeRequests.evaluate("bytes=" + header, length);
    }

    @Property
    void evaluateNeverThrowsOnRangeShapedNoise(@ForAll("rangeShaped") String header,
            @ForAll @LongRange(min = 0, max = 1000) long length) {
        RangeRequests.evaluate(header, length);
    }

    @Property
    void satisfiedRangesLieWithinTheRepresentationAndNeverExceedIt(@ForAll("validHeaders") String header,
            @ForAll @LongRange(min = 0, max = 300) long length) {
        RangeDecision decision = RangeRequests.evaluate(header, length);
        List<ByteRange> ranges = switch (decision) {
            case RangeDecision.Single(ByteRange range) -> List.of(range);
            case RangeDecision.Multiple(List<ByteRange> multiple) -> multiple;
            case RangeDecision.Whole(), RangeDecision.Unsatisfiable() -> List.of();
        };
        long total = 0;
        for (ByteRange range : ranges) {
            assertTrue(range.last() < length, header + " -> " + ranges);
            total += range.length();
        }
        assertTrue(total <= length);
        assertEquals(ranges, RangeRequests.coalesce(ranges), "already coalesced");
    }

    @Provide
    Arbitrary<String> rangeShaped() {
        return Arbitraries.strings().withChars("bytes=-,0123456789 \t").ofMaxLength(60)
                .map(s -> "bytes=" + s);
    }

    @Provide
    Arbitrary<String> validHeaders() {
        Arbitrary<String> number = Arbitraries.longs().between(0, 400).map(String::valueOf);
        Arbitrary<String> spec = Arbitraries.oneOf(
                number.map(n -> "-" + n),
                number.map(n -> n + "-"),
                Arbitraries.longs().between(0, 400).flatMap(a ->
                        Arbitraries.longs().between(a, 500).map(b -> a + "-" + b)));
        return spec.list().ofMinSize(1).ofMaxSize(20).map(specs -> "bytes=" + String.join(",", specs));
    }
}
