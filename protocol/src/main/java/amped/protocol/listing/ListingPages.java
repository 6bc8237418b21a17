package amped.protocol.listing;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a directory listing is cut into pages, so that one response's size is bounded whatever the
 * directory's: at most {@link #PAGE_SIZE} entries a page, in {@link DirectoryListingPage#LISTING_ORDER}
 * (a total order, so every entry is on exactly one page of a given directory version). Page 1 is the
 * directory's plain URL; page K is {@code ?page=K}. Pure.
 */
public final class ListingPages {

    /** Entries on one page: about 200 KB of HTML for typical names, a few MB at worst (255-byte names). */
    public static final int PAGE_SIZE = 1000;

    private ListingPages() {
    }

    /**
     * The page a request's query asks for: its first {@code page} parameter; 1 when there is none (other
     * parameters are ignored, as for files); 0 when it is not a page number (not decimal digits, zero, or
     * absurdly long), which no page answers.
     */
    public static int requestedPage(String rawQuery) {
        return ListingQuery.of(rawQuery, null).page();
    }

    /** Pages of a listing of {@code entries} entries: at least one (an empty directory has an empty page). */
    public static int pageCount(int entries) {
        return Math.max(1, entries / PAGE_SIZE + (entries % PAGE_SIZE == 0 ? 0 : 1));
    }

    /** Whether {@code page} is a page of a listing of {@code entries} entries. */
    public static boolean exists(int page, int entries) {
        return page >= 1 && page <= pageCount(entries);
    }

    /** Index of the first entry on {@code page} (which must exist). */
    public static int from(int page, int entries) {
        return (int) Math.min(entries, (page - 1L) * PAGE_SIZE);
    }

    /** Index after the last entry on {@code page} (which must exist). */
    public static int to(int page, int entries) {
        return (int) Math.min(entries, (long) page * PAGE_SIZE);
    }

    /** The link to {@code page}, relative to the listing: page 1 is the directory itself, without a query. */
    public static String href(int page) {
        return page == 1 ? "./" : "?page=" + page;
    }

    /**
     * The entries a listing shows, in listing order: those named "", "." or ".." are left out, since their
     * links would not name an entry (the parent link is the page's own).
     */
    public static List<DirectoryEntry> sorted(List<DirectoryEntry> entries) {
        Objects.requireNonNull(entries, "entries");
        List<DirectoryEntry> sorted = new ArrayList<>(entries.size());
        for (DirectoryEntry entry : entries) {
            String name = entry.name();
            if (!name.isEmpty() && !name.equals(".") && !name.equals("..")) {
                sorted.add(entry);
            }
        }
        sorted.sort(DirectoryListingPage.LISTING_ORDER);
        return sorted;
    }
}
