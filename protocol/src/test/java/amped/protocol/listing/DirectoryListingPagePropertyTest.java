package amped.protocol.listing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class DirectoryListingPagePropertyTest {

    @Property(tries = 300)
    void everyEntryRoundTripsInSortedOrder(@ForAll("entries") List<DirectoryEntry> entries) {
        List<DirectoryListingPageTest.Row> rows =
                DirectoryListingPageTest.rows(DirectoryListingPage.render("/p/", entries, true));

        List<DirectoryEntry> expected = new ArrayList<>(entries);
        // (the order itself is ListingOrderPropertyTest's)
        expected.sort(ListingOrder.of(ListingQuery.SortKey.NAME, false));
        assertEquals(expected.size() + 1, rows.size());
        for (int i = 0; i < expected.size(); i++) {
            DirectoryEntry entry = expected.get(i);
            DirectoryListingPageTest.Row row = rows.get(i + 1);
            String suffix = entry.directory() ? "/" : "";
            String href = row.href().startsWith("./") ? row.href().substring(2) : row.href();
            assertEquals(entry.name() + suffix, PercentDecoder.decode(href));
            assertEquals(entry.name() + suffix, HtmlPropertyTest.unescape(row.text()));
            DirectoryListingPageTest.assertIsSafeRelativeReference(row.href(), entry.name() + suffix);
        }
    }

    @Provide
    Arbitrary<List<DirectoryEntry>> entries() {
        Arbitrary<String> names = HtmlPropertyTest.printableText()
                .filter(name -> !name.isEmpty() && !name.equals(".") && !name.equals("..")
                        && name.indexOf('/') < 0);
        Arbitrary<String> mixed = Arbitraries.oneOf(names,
                Arbitraries.of("a", "A", "b", "B", "a b", "x:y", "%", "#", "?", "日本", "😀", ".hidden"));
        Arbitrary<DirectoryEntry> entry = Combinators.combine(
                        mixed, Arbitraries.of(true, false),
                        Arbitraries.longs().between(0, Long.MAX_VALUE),
                        Arbitraries.longs().between(-1L << 40, 1L << 42))
                .as(DirectoryEntry::new);
        // the entry fields' edge cases multiply into more cases than tries; random lists do better
        return entry.list().ofMaxSize(25).withoutEdgeCases();
    }
}
