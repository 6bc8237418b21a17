package amped.core.server;

import amped.core.Histogram;
import amped.protocol.Method;

/** Counters of one serving loop; written only by its dispatcher, read through {@link ServingLoop#snapshot}. */
final class LoopStats {

    /** Seconds of throughput history kept for the status page's sparkline. */
    static final int HISTORY_SECONDS = 300;

    long accepted;
    long closed;
    long requests;
    long bytesSent;
    long malformed;
    long aborted;
    long truncated;
    long readErrors;
    long timeouts;
    long bufferWaits;
    long acceptFailures;
    /** Responses by status class: index 1 to 5 for 1xx to 5xx, 0 for requests abandoned before a status. */
    final long[] responsesByClass = new long[6];
    /** Requests by method: GET, HEAD, OPTIONS, other. */
    final long[] requestsByMethod = new long[4];
    final Histogram diskReadTime = new Histogram();
    long diskReadsStarted;
    long diskReadsDone;
    /** Bytes sent per second, a ring indexed by epoch second. */
    final long[] bytesPerSecond = new long[HISTORY_SECONDS];
    long historySecond = -1;

    static int methodIndex(Method m) {
        if (m == Method.GET) {
            return 0;
        }
        if (m == Method.HEAD) {
            return 1;
        }
        return m == Method.OPTIONS ? 2 : 3;
    }

    void responseEnded(Method method, int status) {
        requestsByMethod[methodIndex(method)]++;
        responsesByClass[status >= 100 && status < 600 ? status / 100 : 0]++;
    }

    /** Adds sent bytes to the current second of the history, clearing seconds that passed unseen. */
    void sent(long bytes, long epochSecond) {
        bytesSent += bytes;
        advanceHistory(epochSecond);
        bytesPerSecond[(int) Math.floorMod(epochSecond, (long) HISTORY_SECONDS)] += bytes;
    }

    void advanceHistory(long epochSecond) {
        if (historySecond < 0) {
            historySecond = epochSecond;
            return;
        }
        long gap = Math.min(epochSecond - historySecond, HISTORY_SECONDS);
        for (long s = 1; s <= gap; s++) {
            bytesPerSecond[(int) Math.floorMod(historySecond + s, (long) HISTORY_SECONDS)] = 0;
        }
        if (epochSecond > historySecond) {
            historySecond = epochSecond;
        }
    }

    /** The history ending at {@code epochSecond}, oldest first. */
    long[] history(long epochSecond) {
        advanceHistory(epochSecond);
        long[] h = new long[HISTORY_SECONDS];
        for (int i = 0; i < HISTORY_SECONDS; i++) {
            long second = epochSecond - HISTORY_SECONDS + 1 + i;
            h[i] = bytesPerSecond[(int) Math.floorMod(second, (long) HISTORY_SECONDS)];
        }
        return h;
    }
}
