package amped.core.server;

import amped.core.Event;
import amped.core.Histogram;
import java.util.ArrayList;
import java.util.List;

/**
 * A snapshot of the server's state and counters; each dispatcher's part is taken on that dispatcher's
 * thread, then the parts are summed. The metrics endpoint, the status page and the tests read it.
 *
 * @param responsesByClass responses by status class, index 1..5 for 1xx..5xx, 0 for abandoned requests
 * @param requestsByMethod requests by method: GET, HEAD, OPTIONS, other
 * @param eventsByKind     events dispatched, by {@link Event.Kind} ordinal
 * @param bytesPerSecond   bytes sent in each of the last {@link LoopStats#HISTORY_SECONDS} seconds, oldest first
 * @param acceptedPerDispatcher connections each dispatcher took over, in dispatcher order
 * @param listingBuilds          directory listings built (one per directory version, however many asked)
 * @param listingBuildsAbandoned listing builds stopped, or never started, because every requester had left
 * @param listingRefusals        listing requests answered 503 because the listing memory was full
 * @param listingBytes           listing memory counted now; never above {@code listingBudget}
 * @param gzipMade               files gzipped on the fly (once per version of a file per dispatcher cache)
 * @param gzipRefusals           requests served the file itself because gzip on the fly was at its memory bound
 */
public record ServerStats(int dispatchers, int openConnections, long accepted, long acceptFailures, long requests,
                          long[] responsesByClass, long[] requestsByMethod, long bytesSent, long malformed,
                          long aborted, long truncated, long readErrors, long timeouts, int openFiles,
                          int buffersInUse, long bufferBytesInUse, long bufferBytesAllocated, long bufferBudget,
                          long bufferWaits, int bufferWaiters, long eventsDispatched, long[] eventsByKind,
                          Histogram handlerTime, int queueDepth, long handlerFailures, long diskReadsInFlight,
                          Histogram diskReadTime, long logLines, long logDropped, long logFailedWrites,
                          long cacheHits, long cacheMisses, long cacheBytes, int cacheEntries,
                          List<Transfer> transfers, long[] bytesPerSecond, long[] acceptedPerDispatcher,
                          long listingBuilds, long listingBuildsAbandoned, long listingRefusals, long listingBytes,
                          long listingBudget, long gzipMade, long gzipInputBytes, long gzipOutputBytes,
                          long gzipRefusals) {

    /**
     * A response being sent right now, for the status page; {@code security} is its connection's TLS protocol
     * and cipher suite, or null.
     */
    public record Transfer(String path, String client, long bytesSent, long total, long elapsedMillis, String security) {
        /** Average rate so far, bytes per second. */
        public long rate() {
            return elapsedMillis <= 0 ? 0 : bytesSent * 1000 / elapsedMillis;
        }
    }

    /** Sums the parts of several dispatchers. */
    static ServerStats merge(List<ServerStats> parts, int openFiles, Listings listings, GzipCounters gzip) {
        Builder sum = new Builder();
        listings.addTo(sum);
        gzip.addTo(sum);
        sum.dispatchers = parts.size();
        sum.openFiles = openFiles;
        sum.acceptedPerDispatcher = new long[parts.size()];
        int index = 0;
        for (ServerStats p : parts) {
            sum.acceptedPerDispatcher[index++] = p.accepted;
            sum.add(p);
        }
        return sum.build();
    }

    /** The fields filled by name, then {@link #build()}; arrays and histograms start empty, for summing. */
    static final class Builder {
        int dispatchers = 1;
        int openConnections;
        long accepted;
        long acceptFailures;
        long requests;
        long[] responsesByClass = new long[6];
        long[] requestsByMethod = new long[4];
        long bytesSent;
        long malformed;
        long aborted;
        long truncated;
        long readErrors;
        long timeouts;
        int openFiles;
        int buffersInUse;
        long bufferBytesInUse;
        long bufferBytesAllocated;
        long bufferBudget;
        long bufferWaits;
        int bufferWaiters;
        long eventsDispatched;
        long[] eventsByKind = new long[Event.Kind.values().length];
        Histogram handlerTime = new Histogram();
        int queueDepth;
        long handlerFailures;
        long diskReadsInFlight;
        Histogram diskReadTime = new Histogram();
        long logLines;
        long logDropped;
        long logFailedWrites;
        long cacheHits;
        long cacheMisses;
        long cacheBytes;
        int cacheEntries;
        List<Transfer> transfers = new ArrayList<>();
        long[] bytesPerSecond = new long[LoopStats.HISTORY_SECONDS];
        long[] acceptedPerDispatcher = new long[0];
        long listingBuilds;
        long listingBuildsAbandoned;
        long listingRefusals;
        long listingBytes;
        long listingBudget;
        long gzipMade;
        long gzipInputBytes;
        long gzipOutputBytes;
        long gzipRefusals;

        /** Adds one dispatcher's counters to these (all but dispatchers, openFiles, acceptedPerDispatcher and the shared listings'). */
        private void add(ServerStats p) {
            openConnections += p.openConnections;
            buffersInUse += p.buffersInUse;
            bufferWaiters += p.bufferWaiters;
            queueDepth += p.queueDepth;
            accepted += p.accepted;
            acceptFailures += p.acceptFailures;
            requests += p.requests;
            bytesSent += p.bytesSent;
            malformed += p.malformed;
            aborted += p.aborted;
            truncated += p.truncated;
            readErrors += p.readErrors;
            timeouts += p.timeouts;
            bufferBytesInUse += p.bufferBytesInUse;
            bufferBytesAllocated += p.bufferBytesAllocated;
            bufferBudget += p.bufferBudget;
            bufferWaits += p.bufferWaits;
            eventsDispatched += p.eventsDispatched;
            handlerFailures += p.handlerFailures;
            diskReadsInFlight += p.diskReadsInFlight;
            logLines += p.logLines;
            logDropped += p.logDropped;
            logFailedWrites += p.logFailedWrites;
            cacheHits += p.cacheHits;
            cacheMisses += p.cacheMisses;
            cacheBytes += p.cacheBytes;
            cacheEntries += p.cacheEntries;
            addInto(responsesByClass, p.responsesByClass);
            addInto(requestsByMethod, p.requestsByMethod);
            addInto(eventsByKind, p.eventsByKind);
            addInto(bytesPerSecond, p.bytesPerSecond);
            handlerTime.add(p.handlerTime);
            diskReadTime.add(p.diskReadTime);
            transfers.addAll(p.transfers);
        }

        ServerStats build() {
            return new ServerStats(dispatchers, openConnections, accepted, acceptFailures, requests, responsesByClass,
                    requestsByMethod, bytesSent, malformed, aborted, truncated, readErrors, timeouts, openFiles,
                    buffersInUse, bufferBytesInUse, bufferBytesAllocated, bufferBudget, bufferWaits, bufferWaiters,
                    eventsDispatched, eventsByKind, handlerTime, queueDepth, handlerFailures, diskReadsInFlight,
                    diskReadTime, logLines, logDropped, logFailedWrites, cacheHits, cacheMisses, cacheBytes,
                    cacheEntries, List.copyOf(transfers), bytesPerSecond, acceptedPerDispatcher, listingBuilds,
                    listingBuildsAbandoned, listingRefusals, listingBytes, listingBudget, gzipMade, gzipInputBytes,
                    gzipOutputBytes, gzipRefusals);
        }
    }

    private static void addInto(long[] sum, long[] part) {
        for (int i = 0; i < sum.length; i++) {
            sum[i] += part[i];
        }
    }
}
