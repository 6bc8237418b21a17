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
 */
public record ServerStats(int dispatchers, int openConnections, long accepted, long acceptFailures, long requests,
                          long[] responsesByClass, long[] requestsByMethod, long bytesSent, long malformed,
                          long aborted, long truncated, long readErrors, long timeouts, int openFiles,
                          int buffersInUse, long bufferBytesInUse, long bufferBytesAllocated, long bufferBudget,
                          long bufferWaits, int bufferWaiters, long eventsDispatched, long[] eventsByKind,
                          Histogram handlerTime, int queueDepth, long handlerFailures, long diskReadsInFlight,
                          Histogram diskReadTime, long logLines, long logDropped, long logFailedWrites,
                          long cacheHits, long cacheMisses, long cacheBytes, int cacheEntries,
                          List<Transfer> transfers, long[] bytesPerSecond, long[] acceptedPerDispatcher) {

    /** A response being sent right now, for the status page. */
    public record Transfer(String path, String client, long bytesSent, long total, long elapsedMillis) {
        /** Average rate so far, bytes per second. */
        public long rate() {
            return elapsedMillis <= 0 ? 0 : bytesSent * 1000 / elapsedMillis;
        }
    }

    /** Sums the parts of several dispatchers. */
    static ServerStats merge(List<ServerStats> parts, int openFiles) {
        int conns = 0;
        int buffers = 0;
        int waiters = 0;
        int depth = 0;
        long accepted = 0;
        long acceptFailures = 0;
        long requests = 0;
        long bytes = 0;
        long malformed = 0;
        long aborted = 0;
        long truncated = 0;
        long readErrors = 0;
        long timeouts = 0;
        long bufferInUse = 0;
        long allocated = 0;
        long budget = 0;
        long bufferWaits = 0;
        long events = 0;
        long failures = 0;
        long diskInFlight = 0;
        long logLines = 0;
        long logDropped = 0;
        long logFailed = 0;
        long cacheHits = 0;
        long cacheMisses = 0;
        long cacheBytes = 0;
        int cacheEntries = 0;
        long[] byClass = new long[6];
        long[] byMethod = new long[4];
        long[] byKind = new long[Event.Kind.values().length];
        long[] history = new long[LoopStats.HISTORY_SECONDS];
        Histogram handler = new Histogram();
        Histogram disk = new Histogram();
        List<Transfer> transfers = new ArrayList<>();
        long[] perDispatcher = new long[parts.size()];
        int index = 0;
        for (ServerStats p : parts) {
            perDispatcher[index++] = p.accepted;
            conns += p.openConnections;
            buffers += p.buffersInUse;
            waiters += p.bufferWaiters;
            depth += p.queueDepth;
            accepted += p.accepted;
            acceptFailures += p.acceptFailures;
            requests += p.requests;
            bytes += p.bytesSent;
            malformed += p.malformed;
            aborted += p.aborted;
            truncated += p.truncated;
            readErrors += p.readErrors;
            timeouts += p.timeouts;
            bufferInUse += p.bufferBytesInUse;
            allocated += p.bufferBytesAllocated;
            budget += p.bufferBudget;
            bufferWaits += p.bufferWaits;
            events += p.eventsDispatched;
            failures += p.handlerFailures;
            diskInFlight += p.diskReadsInFlight;
            logLines += p.logLines;
            logDropped += p.logDropped;
            logFailed += p.logFailedWrites;
            cacheHits += p.cacheHits;
            cacheMisses += p.cacheMisses;
            cacheBytes += p.cacheBytes;
            cacheEntries += p.cacheEntries;
            addInto(byClass, p.responsesByClass);
            addInto(byMethod, p.requestsByMethod);
            addInto(byKind, p.eventsByKind);
            addInto(history, p.bytesPerSecond);
            handler.add(p.handlerTime);
            disk.add(p.diskReadTime);
            transfers.addAll(p.transfers);
        }
        return new ServerStats(parts.size(), conns, accepted, acceptFailures, requests, byClass, byMethod, bytes,
                malformed, aborted, truncated, readErrors, timeouts, openFiles, buffers, bufferInUse, allocated,
                budget, bufferWaits, waiters, events, byKind, handler, depth, failures, diskInFlight, disk, logLines,
                logDropped, logFailed, cacheHits, cacheMisses, cacheBytes, cacheEntries, List.copyOf(transfers), history, perDispatcher);
    }

    private static void addInto(long[] sum, long[] part) {
        for (int i = 0; i < sum.length; i++) {
            sum[i] += part[i];
        }
    }
}
