package amped.fileio;

import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;

/**
 * Reads a byte range of a file chunk by chunk with asynchronous reads, one at a time: the caller starts a
 * read into its buffer, and when the completion comes back (on its own thread, as an event) reports the
 * byte count here, which advances the position. Only the range is read, never more: a range at the end of
 * a 10 GiB file reads just that range.
 *
 * <p>A file that ends before the range does (it was truncated while being sent) is reported as
 * {@link Progress#TRUNCATED}; the caller must then stop, because the length it promised cannot be kept.
 * Not thread-safe: confined to the thread that handles the completions.
 */
public final class ChunkedFileReader {

    public enum Progress {
        /** More of the range is left to read. */
        MORE,
        /** The whole range has been read. */
        DONE,
        /** The file ended before the range did. */
        TRUNCATED
    }

    private final AsynchronousFileChannel file;
    private long position;
    private long remaining;
    private boolean reading;

    public ChunkedFileReader(AsynchronousFileChannel file, long offset, long length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative range " + offset + "+" + length);
        }
        this.file = file;
        this.position = offset;
        this.remaining = length;
    }

    public long remaining() {
        return remaining;
    }

    public long position() {
        return position;
    }

    /**
     * Starts reading the next piece of the range into {@code into}, at most its remaining space. Its
     * completion goes to {@code handler} with {@code attachment}; report it with {@link #completed(int)}.
     */
    public <A> void readNext(ByteBuffer into, A attachment, CompletionHandler<Integer, ? super A> handler) {
        if (reading) {
            throw new IllegalStateException("a read is already in flight");
        }
        if (remaining == 0) {
            throw new IllegalStateException("range already read");
        }
        if (!into.hasRemaining()) {
            throw new IllegalArgumentException("no room in the buffer");
        }
        if (into.remaining() > remaining) {
            into.limit(into.position() + (int) remaining);
        }
        reading = true;
        file.read(into, position, attachment, handler);
    }

    /** Accounts for a completed read of {@code bytes} (-1 at end of file) and says what is left. */
    public Progress completed(int bytes) {
        reading = false;
        // a file read returns 0 only at its end; reading again would spin, so both mean the file got shorter
        if (bytes <= 0) {
            return Progress.TRUNCATED;
        }
        if (bytes > remaining) {
            throw new IllegalStateException("read past the range: " + bytes + " > " + remaining);
        }
        position += bytes;
        remaining -= bytes;
        return remaining == 0 ? Progress.DONE : Progress.MORE;
    }
}
