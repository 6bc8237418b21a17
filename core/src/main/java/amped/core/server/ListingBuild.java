package amped.core.server;

import amped.fileio.FileInfo;
import amped.protocol.listing.DirectoryEntry;
import amped.protocol.listing.DirectoryListingPage;
import amped.protocol.listing.JsonListing;
import amped.protocol.listing.ListedDirectory;
import amped.protocol.listing.ListingOrder;
import amped.protocol.listing.ListingPages;
import amped.protocol.listing.ListingQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One build of one directory version's listing: its sorted entries and the pages rendered so far, shared by
 * every request for that version. Guarded by its {@link Listings}' lock (but {@link #cancelled}, which the
 * builder reads between entries).
 */
final class ListingBuild {

    enum State { BUILDING, READY, OVER }

    /** What makes two builds the same: the URL path (title and links) and the directory's version. */
    record Version(String path, long device, long identity, long modifiedNanos, long changedNanos) {
        static Version of(String path, FileInfo info) {
            return new Version(path, info.device(), info.identity(), info.lastModifiedNanos(), info.changedNanos());
        }
    }

    final Version version;
    final boolean parentLink;
    long readyNanos;
    State state = State.BUILDING;
    /** Set when every requester has left: the build stops at the next entry. */
    volatile boolean cancelled;
    /** No longer the one requests join (the directory changed, or it grew stale); freed when unused. */
    boolean retired;
    /** Requests holding it: waiting for it, or sending one of its pages. */
    int holders;
    long idleSinceNanos;
    /** Bytes counted against the budget for it. */
    long cost;
    /** The entries in the default order (by name), the one every other order is sorted from. */
    List<DirectoryEntry> entries;
    int directories;
    /** The entries in the other orders asked for so far, by {@link ListingQuery#view()} of HTML. */
    Map<ListingQuery, List<DirectoryEntry>> orders;
    /** The pages rendered so far, for each view (order and format). */
    Map<ListingQuery, byte[][]> pages;
    /** Requests waiting for the build to end. */
    final List<ListingTicket> waiting = new ArrayList<>();

    ListingBuild(Version version, boolean parentLink) {
        this.version = version;
        this.parentLink = parentLink;
    }

    /** The entries in {@code order} (a new list; the build's own stays as it is). */
    static List<DirectoryEntry> sorted(List<DirectoryEntry> entries, ListingQuery order) {
        List<DirectoryEntry> sorted = new ArrayList<>(entries);
        sorted.sort(ListingOrder.of(order.sort(), order.descending()));
        return sorted;
    }

    /** The page {@code query} asks for of these entries (in its order), as HTML or JSON. */
    byte[] render(List<DirectoryEntry> entries, ListingQuery query, int pages, boolean archives) {
        int size = entries.size();
        List<DirectoryEntry> slice = entries.subList(ListingPages.from(query.page(), size),
                ListingPages.to(query.page(), size));
        ListedDirectory directory = new ListedDirectory(version.path(), parentLink, directories, size - directories,
                archives);
        return query.json() ? JsonListing.renderPage(directory, slice, query, pages)
                : DirectoryListingPage.renderPage(directory, slice, query, pages);
    }
}
