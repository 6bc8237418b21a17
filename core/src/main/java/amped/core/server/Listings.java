package amped.core.server;

import amped.fileio.FileHandle;
import amped.fileio.FileInfo;
import amped.fileio.ServedTree;
import amped.protocol.RequestTarget;
import amped.protocol.listing.DirectoryEntry;
import amped.protocol.listing.ListingPages;
import amped.protocol.listing.ListingQuery;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Directory listings, shared by all dispatchers: one build per directory version, whatever the number of
 * requests. A version is the directory's URL path, device, inode, mtime and ctime (an entry added, removed
 * or renamed moves them); a build is also reused for at most {@link #FRESH_NANOS}, so that the sizes and
 * dates it shows are never older than the second the file cache promises. Requests that arrive while a
 * version is being built join that build and hear when it is over (no disk helper waits); pages are
 * rendered once each and shared.
 *
 * <p>Memory is counted against a budget ({@link ServerConfig#listingMemory}): the entries of every build
 * (reckoned per entry as they are read) and the pages rendered from them, for as long as a build is in use
 * by a request (until its response is sent or abandoned) and {@link #LINGER_NANOS} after. A build that
 * would not fit, after idle ones were let go, stops and its requests get 503 with Retry-After; a page that
 * would not fit likewise. A build that every requester has left stops between two entries, and one whose
 * only requester left while it was queued is not started. Thread-safe: one lock, never held while reading
 * the disk or rendering.
 */
final class Listings {

    private static final Logger log = LoggerFactory.getLogger(Listings.class);

    /** A build is answered from for this long; the next request after that builds anew. */
    static final long FRESH_NANOS = 1_000_000_000L;
    /** A build nobody uses any more is kept this long for the next request (a client paging, say). */
    static final long LINGER_NANOS = 2_000_000_000L;
    static final int RETRY_AFTER_SECONDS = 1;
    /**
     * What one entry is reckoned to cost while its listing is kept, besides its name's characters: the
     * name's String, the entry record and its list slot; as read, the file system's entry and the raw name.
     */
    static final int ENTRY_OVERHEAD = 160;
    /** What one entry costs in each further order a listing is sorted in: a list slot, generously. */
    static final int ORDER_ENTRY_COST = 8;

    private final ServedTree tree;
    private final long budget;
    /** Whether pages offer the folder as a zip archive. */
    private final boolean archives;
    /** Runs on the builder before each entry is taken: tests hold a build there to act while it runs. */
    volatile Runnable beforeEachEntry = () -> { };
    /** The build requests join, by URL path. */
    private final Map<String, ListingBuild> current = new HashMap<>();
    private long bytes;
    private long builds;
    private long abandoned;
    private long refused;

    Listings(ServedTree tree, long budget, boolean archives) {
        this.tree = tree;
        this.budget = budget;
        this.archives = archives;
    }

    /** A ticket's exchange is over: its build may be let go of (or, if still under way and unwanted, stopped). */
    synchronized void release(ListingTicket ticket) {
        ListingBuild build = ticket.build;
        if (ticket.released || build == null) {
            return;
        }
        ticket.released = true;
        if (--build.holders > 0) {
            return;
        }
        switch (build.state) {
            case BUILDING -> {
                build.cancelled = true;
                current.remove(build.version.path(), build);
            }
            case READY -> {
                build.idleSinceNanos = System.nanoTime();
                if (build.retired) {
                    free(build);
                }
            }
            case OVER -> {
                // freed when it ended
            }
        }
    }

    /**
     * The listing page {@code target} asks for of the directory {@code directory} names, for a request
     * whose {@code interest} holds it. If this version is being built, the ticket is answered when that
     * build is over; if it is not, it is built here and now. Blocking (a disk helper).
     */
    ListingTicket request(RequestTarget target, ListingQuery query, FileHandle directory, FileInfo info,
                   Interest interest) {
        if (query.page() == 0) {
            return new ListingTicket(this, null, query, 404);
        }
        ListingBuild.Version version = ListingBuild.Version.of(target.path(), info);
        ListingBuild build;
        boolean builder = false;
        boolean ready;
        ListingTicket ticket;
        synchronized (this) {
            long now = System.nanoTime();
            sweep(now);
            build = current.get(version.path());
            // one under way is joined whatever its age; a directory that changed is built anew at once
            if (build != null && (!build.version.equals(version)
                    || build.state == ListingBuild.State.READY && now - build.readyNanos >= FRESH_NANOS)) {
                retire(build);
                build = null;
            }
            if (interest.withdrawn()) {
                // its requester left while the lookup was queued: nothing is built for nobody
                if (build == null) {
                    abandoned++;
                }
                return new ListingTicket(this, null, query, 503);
            }
            if (build == null) {
                build = new ListingBuild(version, !target.segments().isEmpty());
                current.put(version.path(), build);
                builds++;
                builder = true;
            }
            build.holders++;
            ticket = new ListingTicket(this, build, query, 0);
            ready = build.state == ListingBuild.State.READY;
            if (build.state == ListingBuild.State.BUILDING && !builder) {
                // answered by the builder, on its thread, when the build is over
                build.waiting.add(ticket);
            }
        }
        if (!interest.attach(ticket::release)) {
            // it left meanwhile (a build that only it wanted stops at once)
            ticket.release();
        }
        if (builder) {
            build(build, directory, ticket);
        } else if (ready) {
            answer(ticket);
        }
        return ticket;
    }

    /** Reads, counts and sorts the directory's entries, then answers everyone waiting. */
    private void build(ListingBuild build, FileHandle directory, ListingTicket own) {
        List<DirectoryEntry> entries = new ArrayList<>();
        int[] unnameable = {0};
        int failure = 0;
        try {
            // a build whose only requester left before it began reads nothing
            boolean complete = build.cancelled || tree.list(directory, e -> {
                beforeEachEntry.run();
                if (build.cancelled) {
                    return false;
                }
                if (!RequestTarget.nameable(e.name())) {
                    // a link no request could follow: left out, said once for the directory below
                    unnameable[0]++;
                    return true;
                }
                if (!reserve(build, ENTRY_OVERHEAD + 2L * e.name().length())) {
                    return false;
                }
                entries.add(new DirectoryEntry(e.name(), e.directory(), e.size(), e.lastModifiedMillis()));
                return true;
            });
            if (unnameable[0] > 0) {
                log.warn("{} name(s) in {} hold control characters or backslashes, which no URL can name: left out"
                        + " of its listing", unnameable[0], build.version.path());
            }
            if (!complete && !build.cancelled) {
                failure = 503;
                log.warn("the listing of {} needs more than the listing memory ({} bytes); answering 503",
                        build.version.path(), budget);
            }
        } catch (AccessDeniedException e) {
            failure = 403;
        } catch (IOException | RuntimeException e) {
            log.warn("listing {} failed: {}", build.version.path(), e.toString());
            failure = 500;
        }
        List<ListingTicket> answered = new ArrayList<>();
        synchronized (this) {
            if (build.cancelled) {
                abandoned++;
                failure = 503;
            } else if (failure == 503) {
                refused++;
            }
            if (failure != 0) {
                build.state = ListingBuild.State.OVER;
                current.remove(build.version.path(), build);
                free(build);
                for (ListingTicket t : build.waiting) {
                    t.status = failure;
                }
                own.status = failure;
            } else {
                build.state = ListingBuild.State.READY;
                build.readyNanos = System.nanoTime();
                build.entries = ListingPages.sorted(entries);
                build.directories = (int) build.entries.stream().filter(DirectoryEntry::directory).count();
                build.orders = new HashMap<>();
                build.pages = new HashMap<>();
            }
            answered.add(own);
            answered.addAll(build.waiting);
            build.waiting.clear();
        }
        for (ListingTicket t : answered) {
            if (failure == 0) {
                answer(t);
            } else {
                answered(t);
            }
        }
    }

    /**
     * Answers a ticket of a ready build with its page, rendered now unless it already was (and the entries
     * sorted in its order first, unless they already were).
     */
    private void answer(ListingTicket ticket) {
        ListingBuild build = ticket.build;
        ListingQuery view = ticket.query.view();
        ListingQuery order = new ListingQuery(1, view.sort(), view.descending(), false, false);
        int page = ticket.query.page();
        List<DirectoryEntry> entries;
        byte[] html = null;
        int pages = 0;
        synchronized (this) {
            entries = build.entries;
            if (ticket.released || entries == null || !ListingPages.exists(page, entries.size())) {
                // no such page; or its requester is gone, and nothing is rendered for nobody
                entries = null;
            } else {
                pages = ListingPages.pageCount(entries.size());
                byte[][] rendered = build.pages.get(view);
                html = rendered == null ? null : rendered[page - 1];
                if (!order.equals(ListingQuery.DEFAULT)) {
                    List<DirectoryEntry> sorted = build.orders.get(order);
                    entries = sorted != null ? sorted : html != null ? entries : null;
                }
            }
        }
        int status = html != null ? 200 : 404;
        if (html == null && entries == null && pages > 0) {
            // an order not sorted yet: sorted here, outside the lock, and counted (a reference an entry)
            List<DirectoryEntry> sorted = ListingBuild.sorted(build.entries, order);
            synchronized (this) {
                if (build.orders != null && reserve(build, ORDER_ENTRY_COST * (long) sorted.size())) {
                    build.orders.putIfAbsent(order, sorted);
                    entries = build.orders.get(order);
                } else {
                    status = 503;
                    refused++;
                }
            }
        }
        if (html == null && entries != null) {
            int size = entries.size();
            byte[] rendered = build.render(entries, ticket.query, pages, archives);
            synchronized (this) {
                if (build.pages != null) {
                    byte[][] all = build.pages.computeIfAbsent(view, v -> new byte[ListingPages.pageCount(size)][]);
                    html = all[page - 1];
                    if (html == null && reserve(build, rendered.length)) {
                        html = rendered;
                        all[page - 1] = html;
                    }
                    status = html != null ? 200 : 503;
                    if (html == null) {
                        refused++;
                    }
                }
            }
        }
        synchronized (this) {
            ticket.html = html;
            ticket.status = status;
        }
        answered(ticket);
    }

    /** Tells the request waiting for {@code ticket}, if one is, that it is answered. */
    private void answered(ListingTicket ticket) {
        Runnable then;
        synchronized (this) {
            then = ticket.whenAnswered;
            ticket.whenAnswered = null;
        }
        if (then != null) {
            then.run();
        }
    }

    /** Counts {@code n} more bytes for {@code build}, letting idle builds go to make room; false if over budget. */
    private synchronized boolean reserve(ListingBuild build, long n) {
        if (bytes + n > budget) {
            Iterator<ListingBuild> all = current.values().iterator();
            while (bytes + n > budget && all.hasNext()) {
                ListingBuild b = all.next();
                if (b.state == ListingBuild.State.READY && b.holders == 0) {
                    all.remove();
                    free(b);
                }
            }
            if (bytes + n > budget) {
                return false;
            }
        }
        bytes += n;
        build.cost += n;
        return true;
    }

    /** No longer the build requests join; let go of now if nobody uses it. */
    private void retire(ListingBuild build) {
        current.remove(build.version.path(), build);
        build.retired = true;
        if (build.holders == 0) {
            free(build);
        }
        // one still being built goes on for those who wait for it, and is freed when they are done
    }

    private void free(ListingBuild build) {
        bytes -= build.cost;
        build.cost = 0;
        build.entries = null;
        build.orders = null;
        build.pages = null;
    }

    /** Lets go of the builds nobody used for {@link #LINGER_NANOS}. */
    synchronized void sweep(long nowNanos) {
        Iterator<ListingBuild> all = current.values().iterator();
        while (all.hasNext()) {
            ListingBuild b = all.next();
            if (b.state == ListingBuild.State.READY && b.holders == 0 && nowNanos - b.idleSinceNanos >= LINGER_NANOS) {
                all.remove();
                free(b);
            }
        }
    }

    /** Requests waiting for a build under way now. */
    synchronized int waiting() {
        int n = 0;
        for (ListingBuild b : current.values()) {
            n += b.waiting.size();
        }
        return n;
    }

    /** Counters for the metrics: builds started, builds abandoned, answers refused over budget, bytes held. */
    synchronized void addTo(ServerStats.Builder stats) {
        stats.listingBuilds = builds;
        stats.listingBuildsAbandoned = abandoned;
        stats.listingRefusals = refused;
        stats.listingBytes = bytes;
        stats.listingBudget = budget;
    }
}
