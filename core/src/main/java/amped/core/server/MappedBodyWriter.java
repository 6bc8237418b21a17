package amped.core.server;

import amped.fileio.MappedFile;
import amped.protocol.ResponseHead;
import java.nio.MappedByteBuffer;

/**
 * The route of a body in memory or mapped, without a pooled buffer: gathering writes of the head, memory
 * segments and the next slice of the mapping — paged in first by a disk helper when it is not resident,
 * so that the write cannot stall the dispatcher on the disk. A client that does not read then holds only
 * references to bytes that exist anyway.
 */
final class MappedBodyWriter extends BodyWriter {

    /** The most of a mapping one write sends (and one residency check covers). */
    static final int MAPPED_SLICE = 2 * 1024 * 1024;

    /** The mapped slice in {@link #out}, or null. */
    private MappedByteBuffer slice;
    private final PageIn pageIn = new PageIn();

    MappedBodyWriter(ServingLoop loop, Transport transport, Owner owner, ResponseHead head, ResponseBody body) {
        super(loop, transport, owner, head, body);
    }

    @Override
    void start() {
        sendNext();
    }

    /** The head's rest, the memory segments that follow and the next mapped slice, in one write. */
    private void sendNext() {
        ResponseBody.FileRange range = gather();
        if (range != null) {
            long position = range.offset() + segmentSent;
            MappedByteBuffer next = body.mapped.slice(position,
                    (int) Math.min(range.length() - segmentSent, MAPPED_SLICE));
            if (MappedFile.resident(next)) {
                out[outCount++] = next;
                slice = next;
            } else if (outCount == 0) {
                pageIn(next, position);
                return;
            }
            // else what comes before it goes first
        }
        send();
    }

    @Override
    void written() {
        if (slice != null) {
            segmentSent += slice.capacity();
            slice = null;
            if (segmentSent == body.segments.get(segment).length()) {
                segment++;
                segmentSent = 0;
            }
        }
        if (headView.hasRemaining() || segmentsLeft()) {
            sendNext();
        } else {
            done();
        }
    }

    @Override
    boolean sendingFromMapping() {
        return slice != null;
    }

    @Override
    void releaseRoute() {
        slice = null;
    }

    /** A disk helper reads the slice's pages into the page cache; the slice is sent when that is done. */
    private void pageIn(MappedByteBuffer next, long position) {
        MappedFile mapped = body.mapped;
        loop.io.runOnDiskHelper(loop.diskHelpers, () -> {
            mapped.pageIn(position, next.capacity());
            return next;
        }, pageIn);
        // in flight only once started (its report is an event, never a nested call)
        diskJobStarted();
    }

    /** A mapped slice paged in by a disk helper (or failing to be: the file got shorter, or a disk error). */
    private final class PageIn extends DiskJob<MappedByteBuffer> {
        @Override
        public void onDiskJobDone(MappedByteBuffer paged) {
            if (diskJobEnded()) {
                out[0] = paged;
                outCount = 1;
                slice = paged;
                send();
            }
        }
    }
}
