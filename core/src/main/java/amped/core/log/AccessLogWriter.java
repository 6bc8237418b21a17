package amped.core.log;

import amped.core.DiskWriteHandler;
import amped.core.IoCompletions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dispatcher's access log: formats a line per response into a batch buffer and hands batches to the
 * sink's writer thread, one batch there at a time (double buffering). While it is being written lines
 * gather in the other buffer, so a busy server writes large batches and an idle one writes each line at
 * once, and the writer drains continuously. The buffer is bounded (256 KiB, some 1,700 lines): lines are
 * dropped only when the disk takes longer to absorb one batch than the dispatcher takes to fill the next;
 * they are counted, and reported in the log at most every ten seconds. The dispatcher never waits for the
 * disk. Dispatcher-confined.
 */
public final class AccessLogWriter implements DiskWriteHandler {

    private static final Logger log = LoggerFactory.getLogger(AccessLogWriter.class);
    /** Bytes buffered while a write is in flight; lines are at most ~100 KiB even fully escaped. */
    static final int BATCH_BYTES = 256 * 1024;
    private static final long REPORT_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final AccessLogFormat format;
    private final AccessLogSink sink;
    private final IoCompletions io;
    private final StringBuilder line = new StringBuilder(512);
    private ByteBuffer filling = ByteBuffer.allocate(BATCH_BYTES);
    private ByteBuffer writing = ByteBuffer.allocate(BATCH_BYTES);
    private boolean inFlight;
    private long lines;
    private long dropped;
    private long droppedReported;
    private long failedWrites;
    private long lastReportNanos = System.nanoTime() - REPORT_EVERY_NANOS;

    public AccessLogWriter(AccessLogFormat format, AccessLogSink sink, IoCompletions io) {
        this.format = format;
        this.sink = sink;
        this.io = io;
    }

    public void log(AccessRecord record) {
        line.setLength(0);
        format.append(record, line);
        byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
        if (bytes.length > filling.remaining()) {
            dropped++;
            reportDrops();
            return;
        }
        filling.put(bytes);
        lines++;
        if (!inFlight) {
            flush();
        }
    }

    private void flush() {
        ByteBuffer full = filling;
        filling = writing;
        writing = full;
        writing.flip();
        inFlight = true;
        sink.write(writing, this, io);
    }

    @Override
    public void onDiskWritten(int bytes) {
        batchDone();
    }

    @Override
    public void onDiskWriteFailed(Throwable failure) {
        failedWrites++;
        if (failedWrites == 1 || System.nanoTime() - lastReportNanos > REPORT_EVERY_NANOS) {
            lastReportNanos = System.nanoTime();
            log.warn("writing the access log failed ({} failures so far): {}", failedWrites, failure.toString());
        }
        batchDone();
    }

    private void batchDone() {
        inFlight = false;
        writing.clear();
        reportDrops();
        if (filling.position() > 0) {
            flush();
        }
    }

    private void reportDrops() {
        long now = System.nanoTime();
        if (dropped > droppedReported && now - lastReportNanos > REPORT_EVERY_NANOS) {
            lastReportNanos = now;
            log.warn("access log: {} lines dropped so far, the disk is slower than the traffic", dropped);
            droppedReported = dropped;
        }
    }

    @Override
    public void handlerFailed(Throwable failure) {
        inFlight = false;
        writing.clear();
    }

    /** Whether everything logged so far has been written. */
    public boolean idle() {
        return !inFlight && filling.position() == 0;
    }

    public long lines() {
        return lines;
    }

    public long dropped() {
        return dropped;
    }

    public long failedWrites() {
        return failedWrites;
    }
}
