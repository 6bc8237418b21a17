package amped.core.server;

import java.util.List;

/**
 * A consistent snapshot of the server's counters, each loop's taken on its own dispatcher thread.
 *
 * @param openConnections connections currently open
 * @param openFiles       files opened for responses and not yet closed
 * @param buffersInUse    pooled buffers currently lent out
 * @param handlerFailures handlers that threw (each one a bug)
 */
public record ServerStats(int openConnections, long accepted, long requests, long bytesSent, long malformed,
                          long aborted, long truncated, long readErrors, long timeouts, long acceptFailures,
                          int openFiles, int buffersInUse, long bufferBytesInUse, long bufferBytesAllocated,
                          long bufferWaits, long eventsDispatched, long handlerFailures) {

    static ServerStats sum(List<ServerStats> parts, int openFiles) {
        int conns = 0;
        int buffers = 0;
        long[] t = new long[14];
        for (ServerStats s : parts) {
            conns += s.openConnections;
            buffers += s.buffersInUse;
            t[0] += s.accepted;
            t[1] += s.requests;
            t[2] += s.bytesSent;
            t[3] += s.malformed;
            t[4] += s.aborted;
            t[5] += s.truncated;
            t[6] += s.readErrors;
            t[7] += s.timeouts;
            t[8] += s.acceptFailures;
            t[9] += s.bufferBytesInUse;
            t[10] += s.bufferBytesAllocated;
            t[11] += s.bufferWaits;
            t[12] += s.eventsDispatched;
            t[13] += s.handlerFailures;
        }
        return new ServerStats(conns, t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], openFiles, buffers,
                t[9], t[10], t[11], t[12], t[13]);
    }
}
