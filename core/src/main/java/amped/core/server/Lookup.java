package amped.core.server;

import amped.protocol.encoding.ContentCoding;
import java.nio.channels.AsynchronousFileChannel;
import java.util.List;

/**
 * The outcome of looking a request up: what the path resolved to, and for a file the coding chosen for
 * this request, the opened file when its body must be read from disk, and the length to send.
 *
 * @param coding  the coding to send, or null when the client accepts none that exists (406)
 * @param channel the file opened for the body's disk reads, or null (HEAD, cached content, or not a file)
 * @param length  bytes of the chosen variant: the open file's size when there is one (what will really be
 *                read), else the cached content's or the metadata's
 */
record Lookup(Resolved resolved, ContentCoding coding, AsynchronousFileChannel channel, long length) {

    static Lookup of(Resolved resolved) {
        return new Lookup(resolved, null, null, -1);
    }

    /** Closes what was opened for this response alone, when it is not sent after all. */
    void discard(DiskContent disk) {
        disk.close(channel);
    }

    /**
     * The lookup of a resolution (a cached one, say) that needs no disk helper — or null when the body must
     * be read from a file that is not open yet (a full lookup then opens it), or when the client is to get a
     * gzip that is not made yet.
     */
    static Lookup withoutDisk(Resolved resolved, List<ContentCoding> order, boolean needBody) {
        if (!(resolved instanceof Resolved.Files files)) {
            return of(resolved);
        }
        if (files.gzipToMake(order)) {
            return null;
        }
        ContentCoding coding = files.choose(order);
        if (coding == null) {
            return new Lookup(files, null, null, -1);
        }
        Resolved.Variant v = files.variant(coding);
        if (v.content() != null) {
            return new Lookup(files, coding, null, v.content().length);
        }
        if (v.mapped() != null) {
            return new Lookup(files, coding, null, v.mapped().size());
        }
        return needBody ? null : new Lookup(files, coding, null, v.info().size());
    }

    Resolved.Variant variant() {
        return ((Resolved.Files) resolved).variant(coding);
    }
}
