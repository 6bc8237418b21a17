package amped.core.server;

import amped.fileio.FileInfo;
import amped.protocol.listing.DirectoryEntry;
import java.util.ArrayList;
import java.util.List;

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
    List<DirectoryEntry> entries;
    byte[][] pages;
    /** Requests waiting for the build to end. */
    final List<Listings.Ticket> waiting = new ArrayList<>();

    ListingBuild(Version version, boolean parentLink) {
        this.version = version;
        this.parentLink = parentLink;
    }
}
