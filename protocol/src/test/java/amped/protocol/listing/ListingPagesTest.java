package amped.protocol.listing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ListingPagesTest {

    private static final Pattern NAV = Pattern.compile("<a rel=\"(prev|next)\" href=\"([^\"]*)\">");

    @ParameterizedTest(name = "[{index}] ?{0} -> {1}")
    @CsvSource(nullValues = "NULL", value = {
            "NULL, 1", "'', 1", "x=1, 1", "pages=2, 1", "apage=2, 1", "page=1, 1", "page=2, 2",
            "x=1&page=7&page=9, 7", "page=0100, 100", "page=999999999, 999999999",
            "page=0, 0", "page=, 0", "page, 0", "page=-1, 0", "page=+1, 0", "page=1x, 0", "page=%31, 0",
            "page=1.0, 0", "page=1000000000, 0", "page=99999999999999999999, 0"})
    void theRequestedPageIsTheFirstPageParameter(String query, int page) {
        assertEquals(page, ListingPages.requestedPage(query));
    }

    @ParameterizedTest(name = "[{index}] {0} entries -> {1} page(s)")
    @CsvSource({"0, 1", "1, 1", "999, 1", "1000, 1", "1001, 2", "2000, 2", "2001, 3", "100000, 100",
            "2147483647, 2147484"})
    void pagesHoldAtMostPageSizeEntries(int entries, int pages) {
        assertEquals(pages, ListingPages.pageCount(entries));
        assertTrue(ListingPages.exists(pages, entries));
        assertFalse(ListingPages.exists(pages + 1, entries));
        assertFalse(ListingPages.exists(0, entries));
        int last = ListingPages.to(pages, entries) - ListingPages.from(pages, entries);
        assertTrue(last <= ListingPages.PAGE_SIZE && (last > 0 || entries == 0), "last page holds " + last);
    }

    @ParameterizedTest(name = "[{index}] page {0} -> {1}")
    @CsvSource({"1, ./", "2, ?page=2", "100, ?page=100"})
    void pageOneIsTheDirectoryItself(int page, String href) {
        assertEquals(href, ListingPages.href(page));
    }

    @Test
    void everyEntryIsOnExactlyOnePageInListingOrderAndTheLinksChainThePages() {
        Random random = new Random(7);
        List<DirectoryEntry> entries = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            // names differing only in case, and directories among files, test the tie-breaks of the order
            String name = (i % 2 == 0 ? "Name-" : "name-") + (i / 2);
            entries.add(new DirectoryEntry(name, i % 7 == 0, random.nextInt(10_000), 0));
        }
        Collections.shuffle(entries, random);
        List<DirectoryEntry> sorted = ListingPages.sorted(entries);
        int pages = ListingPages.pageCount(sorted.size());
        assertEquals(3, pages);

        List<String> seen = new ArrayList<>();
        Set<String> hrefsVisited = new HashSet<>();
        String href = ListingPages.href(1);
        for (int page = 1; page <= pages; page++) {
            assertEquals(ListingPages.href(page), href, "the next link of page " + (page - 1));
            assertTrue(hrefsVisited.add(href));
            List<DirectoryEntry> slice = sorted.subList(ListingPages.from(page, sorted.size()),
                    ListingPages.to(page, sorted.size()));
            String html = new String(DirectoryListingPage.renderPage("/big/", slice, true, page, pages),
                    StandardCharsets.UTF_8);
            Matcher row = DirectoryListingPageTest.LINK.matcher(html);
            int rows = 0;
            while (row.find()) {
                if (!row.group(1).equals("../")) {
                    seen.add(HtmlPropertyTest.unescape(row.group(2)));
                    rows++;
                }
            }
            assertTrue(rows <= ListingPages.PAGE_SIZE);
            String prev = null;
            String next = null;
            Matcher nav = NAV.matcher(html);
            while (nav.find()) {
                if (nav.group(1).equals("prev")) {
                    prev = nav.group(2);
                } else {
                    next = nav.group(2);
                }
            }
            assertEquals(page == 1 ? null : ListingPages.href(page - 1), prev);
            assertEquals(page == pages ? null : ListingPages.href(page + 1), next);
            href = next;
        }
        List<String> expected = new ArrayList<>();
        for (DirectoryEntry e : sorted) {
            expected.add(e.name() + (e.directory() ? "/" : ""));
        }
        assertEquals(expected, seen, "each entry once, in listing order, across the pages");
        assertEquals(entries.size(), new HashSet<>(seen).size());
    }

    @Test
    void aSinglePageHasNoNavigation() {
        String html = new String(DirectoryListingPage.render("/d/", List.of(new DirectoryEntry("a", false, 1, 0)),
                true), StandardCharsets.UTF_8);
        assertFalse(html.contains("<nav>"), html);
    }

    @Test
    void theOrderIsTheSameWhateverOrderTheEntriesCameIn() {
        List<DirectoryEntry> entries = new ArrayList<>(List.of(new DirectoryEntry("b", false, 1, 0),
                new DirectoryEntry("B", false, 1, 0), new DirectoryEntry("a", true, -1, 0),
                new DirectoryEntry("..", true, -1, 0), new DirectoryEntry("", false, 0, 0)));
        List<String> names = ListingPages.sorted(entries).stream().map(DirectoryEntry::name).toList();
        Collections.reverse(entries);
        assertEquals(List.of("a", "B", "b"), names);
        assertEquals(names, ListingPages.sorted(entries).stream().map(DirectoryEntry::name).toList());
    }
}
