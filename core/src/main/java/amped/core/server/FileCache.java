package amped.core.server;

import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A dispatcher's cache of what request paths resolved to, with the content of small files, so that a hot
 * file costs no disk helper at all: no stat, no open, no read. Entries are revalidated against the disk at
 * most once a second: the first request after that goes to a disk helper, and the others keep being served
 * from the entry until it is back (or for at most {@link #REVALIDATION_PATIENCE_NANOS}). One lookup per
 * path at a time is the cache's ({@link #claim}). Bounded by a byte budget (content plus a rough per-entry cost), least
 * recently used out first. An entry holds the mappings of its large files, and lets go of them when it
 * goes. Dispatcher-confined.
 */
final class FileCache {

    /** What an entry is reckoned to cost besides its content: the key, the objects, the metadata. */
    static final int ENTRY_OVERHEAD = 256;
    static final long REVALIDATE_NANOS = 1_000_000_000L;
    /** A revalidation that has not come back in this long is given up, and the next request tries again. */
    static final long REVALIDATION_PATIENCE_NANOS = 10_000_000_000L;
    /**
     * An entry nobody asked for in this long goes at the next sweep: it would otherwise keep a deleted or
     * replaced file's mapping (its disk space) until a request for the path came.
     */
    static final long IDLE_NANOS = 60_000_000_000L;

    private static final class Entry {
        final Resolved resolved;
        final long cost;
        final long validatedAt;
        long revalidatingSince = -1;
        long lastUsed;

        Entry(Resolved resolved, long cost, long validatedAt) {
            this.resolved = resolved;
            this.cost = cost;
            this.validatedAt = validatedAt;
            this.lastUsed = validatedAt;
        }
    }

    private final long budget;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(256, 0.75f, true);
    private final HashSet<String> claimed = new HashSet<>();
    private long bytes;
    private long hits;
    private long misses;

    FileCache(long budget) {
        this.budget = budget;
    }

    /**
     * The cached resolution of {@code path} if it may be used now, else null: the caller then looks the path
     * up on a disk helper and hands the outcome to {@link #put} (or {@link #forget} on failure).
     */
    Resolved get(String path, long nowNanos) {
        if (budget == 0) {
            return null;
        }
        Entry e = entries.get(path);
        if (e == null) {
            misses++;
            return null;
        }
        e.lastUsed = nowNanos;
        boolean fresh = nowNanos - e.validatedAt < REVALIDATE_NANOS;
        boolean beingRevalidated = e.revalidatingSince >= 0 && nowNanos - e.revalidatingSince < REVALIDATION_PATIENCE_NANOS;
        if (fresh || beingRevalidated) {
            hits++;
            return e.resolved;
        }
        e.revalidatingSince = nowNanos;
        misses++;
        return null;
    }

    /**
     * Makes the caller the one lookup of {@code path} whose outcome the cache keeps; false when another is
     * already under way (the caller then looks up without mapping and without keeping the outcome).
     */
    boolean claim(String path) {
        return budget > 0 && claimed.add(path);
    }

    /** The claimed lookup of {@code path} is over. */
    void release(String path) {
        claimed.remove(path);
    }

    /** A hit that turned out to need a disk helper after all is counted as a miss. */
    void hitNeededDisk() {
        hits--;
        misses++;
    }

    /**
     * Keeps what a lookup found, as of {@code validatedAt} (when the lookup started). A listing is not
     * kept, and the path's old entry goes (an index.html that was deleted must not be served on).
     */
    void put(String path, Resolved resolved, long validatedAt) {
        if (budget == 0) {
            return;
        }
        if (resolved instanceof Resolved.Listing || resolved instanceof Resolved.Directory
                || resolved instanceof Resolved.Archive) {
            // listings are shared, and their memory counted, by Listings
            forget(path);
            return;
        }
        long cost = ENTRY_OVERHEAD + 2L * path.length()
                + (resolved instanceof Resolved.Files files ? files.contentBytes() : 0);
        if (cost > budget) {
            forget(path);
            return;
        }
        Resolved.hold(resolved, true);
        Entry old = entries.put(path, new Entry(resolved, cost, validatedAt));
        if (old != null) {
            dropped(old);
        }
        bytes += cost;
        Iterator<Map.Entry<String, Entry>> eldest = entries.entrySet().iterator();
        while (bytes > budget && eldest.hasNext()) {
            Entry e = eldest.next().getValue();
            eldest.remove();
            dropped(e);
        }
    }

    /** Drops a path (its lookup failed, or its file changed under a response), so the next request looks afresh. */
    void forget(String path) {
        Entry old = entries.remove(path);
        if (old != null) {
            dropped(old);
        }
    }

    private void dropped(Entry e) {
        bytes -= e.cost;
        Resolved.hold(e.resolved, false);
    }

    /** Drops the entries not asked for in {@link #IDLE_NANOS}; the least recently used come first. */
    void sweep(long nowNanos) {
        Iterator<Map.Entry<String, Entry>> eldest = entries.entrySet().iterator();
        while (eldest.hasNext()) {
            Entry e = eldest.next().getValue();
            if (nowNanos - e.lastUsed < IDLE_NANOS) {
                return;
            }
            eldest.remove();
            dropped(e);
        }
    }

    /** What the cache holds for a path (counted neither as hit nor miss), for a lookup to reuse. */
    Resolved peek(String path) {
        Entry e = entries.get(path);
        return e == null ? null : e.resolved;
    }

    long bytes() {
        return bytes;
    }

    int size() {
        return entries.size();
    }

    long hits() {
        return hits;
    }

    long misses() {
        return misses;
    }
}
