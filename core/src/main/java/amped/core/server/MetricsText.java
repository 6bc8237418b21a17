package amped.core.server;

import amped.core.Event;
import amped.core.Histogram;
import java.nio.charset.StandardCharsets;

/** The counters in the Prometheus text exposition format (version 0.0.4). Pure. */
final class MetricsText {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final String[] METHODS = {"GET", "HEAD", "OPTIONS", "other"};
    private static final String[] CLASSES = {"abandoned", "1xx", "2xx", "3xx", "4xx", "5xx"};

    private MetricsText() {
    }

    static byte[] render(ServerStats s) {
        StringBuilder out = new StringBuilder(8192);
        gauge(out, "amped_dispatchers", "Dispatcher threads.", s.dispatchers());
        gauge(out, "amped_connections_open", "Connections open now.", s.openConnections());
        counter(out, "amped_connections_accepted_total", "Connections accepted.", s.accepted());
        counter(out, "amped_connections_accept_failures_total",
                "Accepts that failed (such as out of file descriptors) and were retried after a back-off.", s.acceptFailures());
        header(out, "amped_requests_total", "Requests by method.", "counter");
        for (int i = 0; i < METHODS.length; i++) {
            out.append("amped_requests_total{method=\"").append(METHODS[i]).append("\"} ").append(s.requestsByMethod()[i]).append('\n');
        }
        header(out, "amped_responses_total", "Responses by status class; abandoned: the client left before a status was sent.", "counter");
        for (int i = 0; i < CLASSES.length; i++) {
            out.append("amped_responses_total{class=\"").append(CLASSES[i]).append("\"} ").append(s.responsesByClass()[i]).append('\n');
        }
        counter(out, "amped_sent_bytes_total", "Bytes sent, heads and bodies.", s.bytesSent());
        counter(out, "amped_malformed_requests_total", "Requests refused as malformed.", s.malformed());
        counter(out, "amped_aborted_responses_total", "Responses cut short because the client went away.", s.aborted());
        counter(out, "amped_truncated_responses_total", "Responses cut short because the file shrank while being sent.", s.truncated());
        counter(out, "amped_disk_read_errors_total", "File reads that failed.", s.readErrors());
        counter(out, "amped_timeouts_total", "Connections closed by the header, idle or send timeout.", s.timeouts());
        counter(out, "amped_handler_failures_total", "Handlers that threw (bugs).", s.handlerFailures());
        header(out, "amped_events_total", "Events dispatched, by type.", "counter");
        for (Event.Kind kind : Event.Kind.values()) {
            out.append("amped_events_total{type=\"").append(kind.label()).append("\"} ")
                    .append(s.eventsByKind()[kind.ordinal()]).append('\n');
        }
        gauge(out, "amped_dispatcher_queue_depth", "Events waiting in the dispatchers' queues.", s.queueDepth());
        histogram(out, "amped_handler_duration_seconds", "Time a dispatcher spent running each event's handler.", s.handlerTime());
        gauge(out, "amped_disk_reads_in_flight", "File reads on the disk helpers now.", s.diskReadsInFlight());
        histogram(out, "amped_disk_read_duration_seconds", "Time from starting a file read to its completion event.", s.diskReadTime());
        gauge(out, "amped_open_files", "Files open for responses.", s.openFiles());
        gauge(out, "amped_buffer_pool_budget_bytes", "Direct memory the send buffers may use.", s.bufferBudget());
        gauge(out, "amped_buffer_pool_allocated_bytes", "Direct memory allocated to send buffers.", s.bufferBytesAllocated());
        gauge(out, "amped_buffer_pool_in_use_bytes", "Send buffer memory lent to responses now.", s.bufferBytesInUse());
        gauge(out, "amped_buffer_pool_in_use_buffers", "Send buffers lent to responses now.", s.buffersInUse());
        gauge(out, "amped_buffer_pool_waiters", "Responses waiting for a send buffer now.", s.bufferWaiters());
        counter(out, "amped_buffer_pool_waits_total", "Responses that had to wait for a send buffer.", s.bufferWaits());
        counter(out, "amped_file_cache_hits_total", "Lookups answered from the file cache, without a disk helper.", s.cacheHits());
        counter(out, "amped_file_cache_misses_total", "Lookups that went to a disk helper (new, stale or not cacheable).", s.cacheMisses());
        gauge(out, "amped_file_cache_bytes", "Memory the file cache holds, content and entries.", s.cacheBytes());
        gauge(out, "amped_file_cache_entries", "Paths in the file cache.", s.cacheEntries());
        counter(out, "amped_listing_builds_total", "Directory listings built: one per directory version, however many asked.", s.listingBuilds());
        counter(out, "amped_listing_builds_abandoned_total", "Listing builds stopped or never started because every requester had left.", s.listingBuildsAbandoned());
        counter(out, "amped_listing_refusals_total", "Listing requests answered 503 because the listing memory was full.", s.listingRefusals());
        gauge(out, "amped_listing_bytes", "Memory counted for directory listings being built or in use.", s.listingBytes());
        gauge(out, "amped_listing_budget_bytes", "Memory directory listings may use.", s.listingBudget());
        counter(out, "amped_gzip_made_total", "Files gzipped on the fly: once per version of a file per dispatcher cache.", s.gzipMade());
        counter(out, "amped_gzip_input_bytes_total", "Bytes of the files gzipped on the fly.", s.gzipInputBytes());
        counter(out, "amped_gzip_output_bytes_total", "Bytes of the gzips made of them.", s.gzipOutputBytes());
        counter(out, "amped_gzip_refusals_total", "Requests served the file itself because gzip on the fly was at its memory bound.", s.gzipRefusals());
        counter(out, "amped_access_log_lines_total", "Access-log lines buffered for writing.", s.logLines());
        counter(out, "amped_access_log_dropped_lines_total", "Access-log lines dropped because the disk was slower than the traffic.", s.logDropped());
        counter(out, "amped_access_log_failed_writes_total", "Access-log writes that failed.", s.logFailedWrites());
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void header(StringBuilder out, String name, String help, String type) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        header(out, name, help, "counter");
        out.append(name).append(' ').append(value).append('\n');
    }

    private static void gauge(StringBuilder out, String name, String help, long value) {
        header(out, name, help, "gauge");
        out.append(name).append(' ').append(value).append('\n');
    }

    private static void histogram(StringBuilder out, String name, String help, Histogram h) {
        header(out, name, help, "histogram");
        long[] counts = h.counts();
        long cumulative = 0;
        for (int i = 0; i < Histogram.BOUNDS.length; i++) {
            cumulative += counts[i];
            out.append(name).append("_bucket{le=\"").append(seconds(Histogram.BOUNDS[i])).append("\"} ").append(cumulative).append('\n');
        }
        cumulative += counts[counts.length - 1];
        out.append(name).append("_bucket{le=\"+Inf\"} ").append(cumulative).append('\n');
        out.append(name).append("_sum ").append(seconds(h.sumNanos())).append('\n');
        out.append(name).append("_count ").append(cumulative).append('\n');
    }

    private static String seconds(long nanos) {
        return java.math.BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString();
    }
}
