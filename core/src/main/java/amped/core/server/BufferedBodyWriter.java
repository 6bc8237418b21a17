package amped.core.server;

import amped.fileio.ChunkedFileReader;
import amped.protocol.ResponseHead;

/**
 * The portable route of a body read from a file: one pooled buffer is filled with the rest of the head,
 * memory segments and file bytes read by a disk helper, then written, then filled again. Used where the
 * zero-copy route cannot be ({@link SendfileBodyWriter}): another system, or descriptors not granted.
 */
final class BufferedBodyWriter extends PooledBodyWriter {

    /** Bytes of the current memory segment already copied. */
    private int segmentCopied;

    BufferedBodyWriter(ServingLoop loop, Transport transport, Owner owner, ResponseHead head, ResponseBody body) {
        super(loop, transport, owner, head, body);
    }

    /**
     * Fills the buffer with what comes next — the rest of the head, memory segments — until it is full or a
     * file range needs a disk read (which continues here when it completes), then sends it.
     */
    @Override
    void fill() {
        copyHead();
        while (buffer.hasRemaining() && segmentsLeft()) {
            switch (body.segments.get(segment)) {
                case ResponseBody.Memory m -> copy(m);
                case ResponseBody.FileRange range -> {
                    readFromDisk(range);
                    return;
                }
            }
        }
        sendBuffer();
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
        readNext();
    }

    @Override
    void read(int from, int bytes, boolean done) {
        if (done) {
            reader = null;
            segment++;
        }
        // else the rest of the range comes with the next fill
        fill();
    }

    @Override
    void written() {
        buffer.clear();
        if (headLeft() || segmentsLeft()) {
            fill();
        } else {
            done();
        }
    }
}
