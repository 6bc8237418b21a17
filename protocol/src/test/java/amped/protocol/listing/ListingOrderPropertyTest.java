package amped.protocol.listing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The listing orders are total orders (so pages never lose or repeat an entry) and natural for people. */
class ListingOrderPropertyTest {

    @Provide
    Arbitrary<String> names() {
        // digits often, with leading zeros and case pairs, so that numbers and ties meet
        Arbitrary<String> pieces = Arbitraries.oneOf(Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(25),
                Arbitraries.of("a", "A", "-", ".", "é", "É", "0", "00", "_", " ", "z", "日"));
        return pieces.list().ofMaxSize(5).map(l -> String.join("", l));
    }

    @Property(tries = 2000)
    void naturalOrderIsATotalOrder(@ForAll("names") String a, @ForAll("names") String b, @ForAll("names") String c) {
        Comparator<String> order = ListingOrder.NATURAL;
        assertEquals(Integer.signum(order.compare(a, b)), -Integer.signum(order.compare(b, a)));
        assertEquals(order.compare(a, b) == 0, a.equals(b));
        if (order.compare(a, b) <= 0 && order.compare(b, c) <= 0) {
            assertTrue(order.compare(a, c) <= 0, a + " <= " + b + " <= " + c);
        }
    }

    @Property(tries = 300)
    void everyKeyAndDirectionSortsDirectoriesFirstAndTotally(@ForAll("names") String a, @ForAll("names") String b,
                                                             @ForAll boolean dirA, @ForAll boolean dirB,
                                                             @ForAll ListingQuery.SortKey key, @ForAll boolean descending) {
        Comparator<DirectoryEntry> order = ListingOrder.of(key, descending);
        DirectoryEntry x = new DirectoryEntry(a, dirA, a.length(), b.length());
        DirectoryEntry y = new DirectoryEntry(b, dirB, b.length(), a.length());
        assertEquals(Integer.signum(order.compare(x, y)), -Integer.signum(order.compare(y, x)));
        if (dirA != dirB) {
            assertEquals(dirA ? -1 : 1, Integer.signum(order.compare(x, y)));
        } else if (!a.equals(b)) {
            assertTrue(order.compare(x, y) != 0);
        }
    }

    @Example
    void numbersGoByValue() {
        List<String> names = new ArrayList<>(List.of("note-10", "note-2", "Note-1", "note-02", "note-1", "x",
                "file99999999999999999999999", "file100000000000000000000000", "a10b2", "a10b10", "a9"));
        names.sort(ListingOrder.NATURAL);
        assertEquals(List.of("a9", "a10b2", "a10b10", "file99999999999999999999999", "file100000000000000000000000",
                "Note-1", "note-1", "note-02", "note-2", "note-10", "x"), names);
    }

    @Example
    void sizeAndTimeGoSmallestOrOldestFirstOrTheOtherWay() {
        DirectoryEntry dir = new DirectoryEntry("d", true, 0, 5);
        DirectoryEntry small = new DirectoryEntry("b", false, 1, 30);
        DirectoryEntry big = new DirectoryEntry("a", false, 100, 10);
        List<DirectoryEntry> entries = new ArrayList<>(List.of(big, dir, small));
        entries.sort(ListingOrder.of(ListingQuery.SortKey.SIZE, false));
        assertEquals(List.of(dir, small, big), entries);
        entries.sort(ListingOrder.of(ListingQuery.SortKey.SIZE, true));
        assertEquals(List.of(dir, big, small), entries);
        entries.sort(ListingOrder.of(ListingQuery.SortKey.TIME, true));
        assertEquals(List.of(dir, small, big), entries);
        entries.sort(ListingOrder.of(ListingQuery.SortKey.NAME, true));
        assertEquals(List.of(dir, small, big), entries);
    }
}
