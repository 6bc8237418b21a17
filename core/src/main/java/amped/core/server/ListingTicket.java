package amped.core.server;

import amped.protocol.listing.ListingQuery;

/**
 * One request's part in a shared listing ({@link Listings}): the page it asked for and, once known, its
 * answer: the page (HTML or JSON), or a status (404 no such page, 403, 500, 503 over budget). Released when
 * its exchange ends. Guarded by its listings' lock.
 */
final class ListingTicket {
    private final Listings listings;
    final ListingBuild build;
    final ListingQuery query;
    byte[] html;
    int status;
    Runnable whenAnswered;
    boolean released;

    ListingTicket(Listings listings, ListingBuild build, ListingQuery query, int status) {
        this.listings = listings;
        this.build = build;
        this.query = query;
        this.status = status;
    }

    /** Whether the page is JSON rather than HTML. */
    boolean json() {
        return query.json();
    }

    /** The page, or null when the answer is {@link #status()}. */
    byte[] html() {
        synchronized (listings) {
            return html;
        }
    }

    /** 200 with {@link #html()}, else the error status; 0 while the build is under way. */
    int status() {
        synchronized (listings) {
            return status;
        }
    }

    /** False when the answer is known; otherwise {@code then} runs (on the builder's thread) once it is. */
    boolean whenAnswered(Runnable then) {
        synchronized (listings) {
            if (status != 0) {
                return false;
            }
            whenAnswered = then;
            return true;
        }
    }

    /** The exchange is over: the build may be let go of (or, if still under way and unwanted, stopped). */
    void release() {
        listings.release(this);
    }
}
