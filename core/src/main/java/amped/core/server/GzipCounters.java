package amped.core.server;

import java.util.concurrent.atomic.AtomicLong;

/** What gzip on the fly ({@link GzipContent}) has done, all dispatchers together, for the metrics. */
final class GzipCounters {

    final AtomicLong made = new AtomicLong();
    final AtomicLong inputBytes = new AtomicLong();
    final AtomicLong outputBytes = new AtomicLong();
    /** Requests served the file itself because the files being compressed at once were at their bound. */
    final AtomicLong refusals = new AtomicLong();

    void addTo(ServerStats.Builder sum) {
        sum.gzipMade = made.get();
        sum.gzipInputBytes = inputBytes.get();
        sum.gzipOutputBytes = outputBytes.get();
        sum.gzipRefusals = refusals.get();
    }
}
