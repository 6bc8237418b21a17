package amped.core.server;

import amped.core.DiskJobHandler;
import amped.core.IoCompletions;
import amped.protocol.RequestTarget;
import amped.protocol.listing.ListingQuery;
import amped.protocol.encoding.ContentCoding;
import java.util.List;

/**
 * The head of the content chain, one per dispatcher and confined to it: the one thing an exchange asks
 * for what a path names. It answers from the {@link FileCache} when it can (no disk helper at all), else
 * runs the rest of the chain on a disk helper and answers when that is back. It owns all that concerns
 * the cache: revalidation, which lookup of a path is the one whose outcome is kept (its "leader": only
 * the leader may map a file, so a burst of misses maps it once, not once each), and the holds on
 * mappings while lookups that may reuse them are in flight.
 */
final class CachingContent {

    /** Who asked; hears back on the dispatcher. */
    interface Requester {
        void found(Lookup lookup);

        void lookupFailed(Throwable failure);

        /** What holds a shared listing for the requester until it is done (asked only when a disk helper is). */
        Interest interest();
    }

    private final FileCache cache;
    private final ContentSource chain;
    private final DiskContent disk;
    private final IoCompletions io;
    /** Whether codings other than identity may be served (precompressed siblings, or gzip made on the fly). */
    private final boolean codings;

    CachingContent(FileCache cache, ContentSource chain, DiskContent disk, IoCompletions io, boolean codings) {
        this.cache = cache;
        this.chain = chain;
        this.disk = disk;
        this.io = io;
        this.codings = codings;
    }

    /**
     * What {@code target} names in the coding the client prefers among those it accepts. Returned at once
     * when the cache has all it takes (a file in memory or mapped, or what needs no body); otherwise null,
     * and {@code requester} hears when a disk helper has it (a listing: when its shared build is over).
     *
     * @param listingQuery what the request asks of a directory's listing (for a target ending in '/'), or null
     */
    Lookup find(RequestTarget target, String acceptEncoding, ListingQuery listingQuery, boolean needBody,
                Requester requester) {
        List<ContentCoding> order = PrecompressedContent.codingOrder(acceptEncoding, codings);
        String key = target.path();
        long now = System.nanoTime();
        Resolved cached = cache.get(key, now);
        if (cached != null) {
            Lookup hit = Lookup.withoutDisk(cached, order, needBody);
            if (hit != null) {
                return hit;
            }
            // a file neither in memory nor mapped, or a gzip to make: it is looked up again (a stat with the open), so that the
            // file opened and the validators sent are sure to belong together
            cache.hitNeededDisk();
        }
        boolean leader = cache.claim(key);
        // the job may reuse the previous mappings: they must outlive it, whatever the cache does meanwhile
        Resolved previous = leader ? cache.peek(key) : null;
        Resolved.hold(previous, true);
        Interest interest = requester.interest();
        io.runOnDiskHelper(disk.diskHelpers(), () -> {
            Resolved resolved = chain.resolve(target, previous, leader, order);
            // what was resolved is held open until the lookup is over: content, mappings and the channel
            // are made from exactly those files, never by opening a path again
            try {
                if (resolved instanceof Resolved.Directory directory) {
                    ListingQuery query = listingQuery != null ? listingQuery : ListingQuery.DEFAULT;
                    return Lookup.of(query.zip() ? disk.archive(target, directory, interest)
                            : disk.list(target, query, directory, interest));
                }
                Lookup lookup = Lookup.withoutDisk(resolved, order, needBody);
                return lookup != null ? lookup
                        : disk.open((Resolved.Files) resolved, ((Resolved.Files) resolved).choose(order));
            } finally {
                Resolved.closeHandles(resolved);
            }
        }, new PendingLookup(leader ? key : null, previous, now, requester));
        return null;
    }

    /** A lookup on a disk helper; when it is back the cache keeps it (if it led) and the requester hears. */
    private final class PendingLookup implements DiskJobHandler<Lookup> {
        /** The path whose outcome the cache keeps, or null when another lookup of it leads. */
        private final String key;
        /** What the cache held for it when the lookup started; its mappings are held meanwhile. */
        private final Resolved previous;
        private final long startedNanos;
        private final Requester requester;

        PendingLookup(String key, Resolved previous, long startedNanos, Requester requester) {
            this.key = key;
            this.previous = previous;
            this.startedNanos = startedNanos;
            this.requester = requester;
        }

        @Override
        public void onDiskJobDone(Lookup lookup) {
            if (lookup.resolved() instanceof Resolved.Listing(ListingTicket ticket)
                    && ticket.whenAnswered(() -> io.jobDone(this, lookup))) {
                // another request's build of this listing is under way: back here when it is over
                return;
            }
            if (key != null) {
                // kept even when the requester has gone: the next one profits
                cache.put(key, lookup.resolved(), startedNanos);
                cache.release(key);
            }
            requester.found(lookup);
            // only now, with the cache and the response holding what they use, may the rest go
            Resolved.hold(previous, false);
            if (lookup.resolved() instanceof Resolved.Files files) {
                files.dropUnheld();
            }
        }

        @Override
        public void onDiskJobFailed(Throwable failure) {
            if (key != null) {
                cache.forget(key);
                cache.release(key);
            }
            Resolved.hold(previous, false);
            requester.lookupFailed(failure);
        }

        @Override
        public void handlerFailed(Throwable failure) {
            requester.lookupFailed(failure);
        }
    }

    /** Drops a path (its file changed under a response), so the next request looks afresh. */
    void forget(String path) {
        cache.forget(path);
    }

    /** Lets go of entries nobody asked for in a while. */
    void sweep(long nowNanos) {
        cache.sweep(nowNanos);
    }

    FileCache cache() {
        return cache;
    }
}
