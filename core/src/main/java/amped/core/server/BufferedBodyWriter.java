package amped.core.server;

import amped.core.DiskReadHandler;
import amped.fileio.ChunkedFileReader;
import amped.protocol.ResponseHead;
import java.nio.ByteBuffer;

/**
 * The portable route of a body read from a file: one pooled buffer is filled with the rest of the head,
 * memory segments and file bytes read by a disk helper, then written, then filled again. Used where the
 * zero-copy route cannot be ({@link SendfileBodyWriter}): another system, or descriptors not granted.
 */
final class BufferedBodyWriter extends BodyWriter implements DiskReadHandler, BufferPool.Waiter {

    private ByteBuffer buffer;
    private int headCopied;
    /** Bytes of the current memory segment already copied. */
    private int segmentCopied;
    private ChunkedFileReader reader;

    BufferedBodyWriter(ServingLoop loop, Transport transport, Owner owner, ResponseHead head, ResponseBody body) {
        super(loop, transport, owner, head, body);
    }

    @Override
    void start() {
        long wanted = head.length() + body.length;
        buffer = loop.pool.acquireOrWait((int) Math.min(wanted, Integer.MAX_VALUE), this);
        if (buffer == null) {
            state = State.AWAITING_BUFFER;
            loop.stats.bufferWaits++;
            return;
        }
        fill();
    }

    @Override
    public void bufferAvailable(ByteBuffer available) {
        state = State.READY;
        buffer = available;
        fill();
    }

    @Override
    public boolean stillWaiting() {
        return state == State.AWAITING_BUFFER;
    }

    /**
     * Fills the buffer with what comes next — the rest of the head, memory segments — until it is full or a
     * file range needs a disk read (which continues here when it completes), then sends it.
     */
    private void fill() {
        if (headCopied < head.length()) {
            int n = Math.min(buffer.remaining(), head.length() - headCopied);
            head.copyTo(buffer, headCopied, n);
            headCopied += n;
        }
        while (buffer.hasRemaining() && segmentsLeft()) {
            switch (body.segments.get(segment)) {
                case ResponseBody.Memory m -> copy(m);
                case ResponseBody.FileRange range -> {
                    readFromDisk(range);
                    return;
                }
            }
        }
        buffer.flip();
        out[0] = buffer;
        outCount = 1;
        send();
    }

    private void copy(ResponseBody.Memory m) {
        int n = Math.min(buffer.remaining(), m.count() - segmentCopied);
        buffer.put(m.bytes(), m.offset() + segmentCopied, n);
        segmentCopied += n;
        if (segmentCopied == m.count()) {
            segment++;
            segmentCopied = 0;
        }
    }

    private void readFromDisk(ResponseBody.FileRange range) {
        if (reader == null) {
            reader = new ChunkedFileReader(body.file, range.offset(), range.length());
        }
        reader.readNext(buffer, this, loop.io.diskReadCompletion());
        // in flight only once started: a read that failed to start holds nothing
        diskJobStarted();
    }

    @Override
    public void onDiskRead(int bytes) {
        if (!diskJobEnded()) {
            return;
        }
        buffer.limit(buffer.capacity());
        switch (reader.completed(bytes)) {
            case TRUNCATED -> {
                fail(Failure.FILE_SHRANK, false, null);
                return;
            }
            case DONE -> {
                reader = null;
                segment++;
            }
            case MORE -> {
                // the rest of the range comes with the next fill
            }
        }
        fill();
    }

    @Override
    public void onDiskReadFailed(Throwable failure) {
        if (diskJobEnded()) {
            fail(Failure.READ_FAILED, false, failure);
        }
    }

    @Override
    void written() {
        buffer.clear();
        if (headCopied < head.length() || segmentsLeft()) {
            fill();
        } else {
            done();
        }
    }

    @Override
    void releaseRoute() {
        if (buffer != null) {
            ByteBuffer b = buffer;
            buffer = null;
            loop.pool.release(b);
        }
        reader = null;
    }
}
