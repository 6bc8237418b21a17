package amped.core.server;

/** Counters of one serving loop; written only by its dispatcher, read through {@link ServingLoop#snapshot()}. */
final class LoopStats {
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
}
