package amped.core.server;

import amped.fileio.ServedTree;
import amped.protocol.RequestTarget;
import amped.protocol.conditional.EntityTag;
import amped.protocol.conditional.EntityTags;
import amped.protocol.encoding.ContentCoding;
import amped.protocol.encoding.GzipOnTheFly;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;

/**
 * The link that gzips, with the JDK's {@code Deflater}, compressible files (text, JSON, JavaScript, CSS, SVG,
 * wasm…, see {@link GzipOnTheFly}) that have no gzip sibling, the first time a client that would get gzip
 * asks for one. The gzip stays with the file's resolution: the file cache keeps it, and a revalidation that
 * finds the file unchanged keeps it, so each version of a file is compressed once per dispatcher and a
 * repeated request costs nothing. Blocking and CPU-bound: it runs where the chain runs, on a disk helper,
 * never on a dispatcher. The bytes are compressed from exactly the file resolved, and kept only if the file
 * did not change meanwhile.
 *
 * <p>Bounds: a gzip is held whole (at most about the file's size, {@link GzipOnTheFly#MAX_SIZE}); the files
 * being compressed at once add up to at most {@link #IN_FLIGHT_BUDGET}, and at most half the disk helpers
 * compress at once, so that the others go on opening and reading files for everyone else. A request that
 * finds either bound reached is served identity (with Vary), and a later one compresses.
 */
final class GzipContent implements ContentSource {

    /** Bytes of files being compressed at once, all dispatchers together: two of the largest. */
    static final long IN_FLIGHT_BUDGET = 2 * GzipOnTheFly.MAX_SIZE;
    private static final int CHUNK = 64 * 1024;

    private final ContentSource next;
    private final ServedTree tree;
    private final AtomicLong inFlight = new AtomicLong();
    private final long inFlightBudget;
    private final Semaphore compressors;
    private final GzipCounters counters;

    GzipContent(ContentSource next, ServedTree tree, GzipCounters counters, int diskThreads) {
        this(next, tree, counters, Math.max(1, diskThreads / 2), IN_FLIGHT_BUDGET);
    }

    GzipContent(ContentSource next, ServedTree tree, GzipCounters counters, int compressors, long inFlightBudget) {
        this.next = next;
        this.tree = tree;
        this.counters = counters;
        this.compressors = new Semaphore(compressors);
        this.inFlightBudget = inFlightBudget;
    }

    @Override
    public Resolved resolve(RequestTarget target, Resolved previous, boolean mayMap, List<ContentCoding> accepted)
            throws IOException {
        Resolved resolved = next.resolve(target, previous, mayMap, accepted);
        if (!(resolved instanceof Resolved.Files files) || files.gzip() != null
                || !GzipOnTheFly.worthTrying(files.contentType(), files.identity().info().size())) {
            return resolved;
        }
        Resolved.Variant identity = files.identity();
        if (previous instanceof Resolved.Files before && before.identity().path().equals(identity.path())
                && before.identity().info().equals(identity.info())) {
            // the same file as before: what was made of it still holds (its fields are encoded afresh)
            switch (before.onTheFly()) {
                case MADE -> {
                    Resolved.Variant made = before.gzip();
                    return with(files, Resolved.GzipOnTheFly.MADE,
                            new Resolved.Variant(made.path(), made.info(), made.etag(), made.content(), null));
                }
                case NOT_SMALLER -> {
                    return with(files, Resolved.GzipOnTheFly.NOT_SMALLER, null);
                }
                case NONE, ON_REQUEST -> {
                    // not made yet: below
                }
            }
        }
        Resolved.Files onRequest = with(files, Resolved.GzipOnTheFly.ON_REQUEST, null);
        return onRequest.gzipToMake(accepted) ? make(onRequest) : onRequest;
    }

    private static Resolved.Files with(Resolved.Files files, Resolved.GzipOnTheFly state, Resolved.Variant gzip) {
        return new Resolved.Files(files.contentType(), files.identity(), files.brotli(), gzip, state);
    }

    /** The file with its gzip made, or as it was when the budget is spent or the file changed while read. */
    private Resolved.Files make(Resolved.Files files) throws IOException {
        Resolved.Variant identity = files.identity();
        long size = identity.info().size();
        if (!reserve(size)) {
            counters.refusals.incrementAndGet();
            return files;
        }
        try {
            byte[] gzip = identity.content() != null ? gzip(identity.content()) : gzip(identity);
            if (gzip == null) {
                return files;
            }
            counters.made.incrementAndGet();
            counters.inputBytes.addAndGet(size);
            counters.outputBytes.addAndGet(gzip.length);
            if (gzip.length >= size) {
                return with(files, Resolved.GzipOnTheFly.NOT_SMALLER, null);
            }
            EntityTag tag = EntityTags.forGzipMadeOnTheFly(size, identity.info().lastModifiedNanos());
            return with(files, Resolved.GzipOnTheFly.MADE,
                    new Resolved.Variant(identity.path(), identity.info(), tag, gzip, null));
        } finally {
            inFlight.addAndGet(-size);
            compressors.release();
        }
    }

    /** A compressor and {@code size} bytes of the budget, or false (and nothing taken) when either is spent. */
    private boolean reserve(long size) {
        if (!compressors.tryAcquire()) {
            return false;
        }
        long now;
        do {
            now = inFlight.get();
            if (now + size > inFlightBudget) {
                compressors.release();
                return false;
            }
        } while (!inFlight.compareAndSet(now, now + size));
        return true;
    }

    /** The gzip of a file whose content is in memory already. */
    static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length / 4 + 64);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out, CHUNK)) {
            gzip.write(content);
        }
        return out.toByteArray();
    }

    /** The gzip of the variant's file read through its handle, or null when it is not what was resolved any more. */
    private byte[] gzip(Resolved.Variant file) throws IOException {
        long size = file.info().size();
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) (size / 4 + 64));
        try (FileChannel in = tree.reader(file.handle()); GZIPOutputStream gzip = new GZIPOutputStream(out, CHUNK)) {
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
            long read = 0;
            for (int n = in.read(chunk); n >= 0; n = in.read(chunk.clear())) {
                read += n;
                if (read > size) {
                    return null;
                }
                gzip.write(chunk.array(), 0, n);
            }
            if (read != size) {
                return null;
            }
        }
        return tree.unchanged(file.handle(), file.info()) ? out.toByteArray() : null;
    }
}
