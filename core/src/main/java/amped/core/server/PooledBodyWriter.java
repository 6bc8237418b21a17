package amped.core.server;

import amped.core.DiskReadHandler;
import amped.fileio.ChunkedFileReader;
import amped.protocol.ResponseHead;
import java.nio.ByteBuffer;

/**
 * The routes that send through one pooled buffer, filled, written, filled again: waiting in line for the
 * buffer when the pool is spent, copying the head in first, and giving the buffer back once.
 */
abstract sealed class PooledBodyWriter extends BodyWriter implements BufferPool.Waiter, DiskReadHandler
        permits BufferedBodyWriter, ZipBodyWriter {

    ByteBuffer buffer;
    private int headCopied;
    /** The file range being read into the buffer, or null. */
    ChunkedFileReader reader;
    private int readFrom;

    PooledBodyWriter(ServingLoop loop, Transport transport, Owner owner, ResponseHead head, ResponseBody body) {
        super(loop, transport, owner, head, body);
    }

    @Override
    final void start() {
        buffer = loop.pool.acquireOrWait((int) Math.min(head.length() + body.length, Integer.MAX_VALUE), this);
        if (buffer == null) {
            state = State.AWAITING_BUFFER;
            loop.stats.bufferWaits++;
            return;
        }
        fill();
    }

    @Override
    public final void bufferAvailable(ByteBuffer available) {
        state = State.READY;
        buffer = available;
        fill();
    }

    @Override
    public final boolean stillWaiting() {
        return state == State.AWAITING_BUFFER;
    }

    /** Fills the buffer with what comes next and sends it, or starts the disk read that continues it. */
    abstract void fill();

    /** Copies into the buffer what of the head is not in yet (as much as fits). */
    final void copyHead() {
        if (headCopied < head.length()) {
            int n = Math.min(buffer.remaining(), head.length() - headCopied);
            head.copyTo(buffer, headCopied, n);
            headCopied += n;
        }
    }

    /** Whether some of the head is still to be copied. */
    final boolean headLeft() {
        return headCopied < head.length();
    }

    /** Writes what the buffer holds. */
    final void sendBuffer() {
        buffer.flip();
        out[0] = buffer;
        outCount = 1;
        send();
    }

    /** Starts reading the next piece of {@link #reader}'s range into the buffer, by a disk helper. */
    final void readNext() {
        readFrom = buffer.position();
        reader.readNext(buffer, this, loop.io.diskReadCompletion());
        // in flight only once started: a read that failed to start holds nothing
        diskJobStarted();
    }

    /**
     * A read completed: {@code bytes} are in the buffer from {@code from}; {@code done} when they end the
     * range. Fills on.
     */
    abstract void read(int from, int bytes, boolean done);

    @Override
    public final void onDiskRead(int bytes) {
        if (!diskJobEnded()) {
            return;
        }
        buffer.limit(buffer.capacity());
        switch (reader.completed(bytes)) {
            case TRUNCATED -> fail(Failure.FILE_SHRANK, false, null);
            case DONE -> read(readFrom, bytes, true);
            case MORE -> read(readFrom, bytes, false);
        }
    }

    @Override
    public final void onDiskReadFailed(Throwable failure) {
        if (diskJobEnded()) {
            fail(Failure.READ_FAILED, false, failure);
        }
    }

    @Override
    void releaseRoute() {
        reader = null;
        if (buffer != null) {
            ByteBuffer b = buffer;
            buffer = null;
            loop.pool.release(b);
        }
    }
}
