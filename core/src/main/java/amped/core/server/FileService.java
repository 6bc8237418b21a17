package amped.core.server;

import amped.fileio.ServedTree;
import amped.protocol.BodyPlan;
import amped.protocol.ErrorResponses;
import amped.protocol.FileResponses;
import amped.protocol.MimeTypes;
import amped.protocol.Representation;
import amped.protocol.RequestHead;
import amped.protocol.RequestTarget;
import amped.protocol.ResponseHead;
import amped.protocol.conditional.EntityTags;
import amped.protocol.encoding.ContentCoding;
import amped.protocol.encoding.EncodingPreference;
import amped.protocol.listing.DirectoryEntry;
import amped.protocol.listing.DirectoryListingPage;
import amped.protocol.listing.PathEncoding;
import java.io.IOException;
import java.nio.channels.AsynchronousFileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/**
 * Serving files, between the protocol's decisions and the disk: builds the blocking lookup a disk helper
 * runs for a request path (resolve, pick the representation, open it, or render a listing), and turns
 * its outcome into a response head and body with the pure functions of {@code protocol}.
 * Shared by all dispatchers; it holds no mutable state.
 */
final class FileService {

    private static final Lookup NOT_FOUND = new Lookup.Refused(404);
    private static final List<ContentCoding> IDENTITY_ONLY = List.of(ContentCoding.IDENTITY);

    private final ServedTree tree;
    private final ExecutorService diskHelpers;
    private final MimeTypes mimeTypes;
    private final boolean listing;
    private final boolean precompressed;
    private final String cacheControl;
    private final AtomicInteger openFiles = new AtomicInteger();

    FileService(ServedTree tree, ExecutorService diskHelpers, ServerConfig config) {
        this.tree = tree;
        this.diskHelpers = diskHelpers;
        this.mimeTypes = config.mimeTypes;
        this.listing = config.listing;
        this.precompressed = config.precompressed;
        this.cacheControl = config.cacheControl;
    }

    ExecutorService diskHelpers() {
        return diskHelpers;
    }

    /**
     * The blocking lookup of {@code target} for a disk helper. It captures only immutable values, never
     * the request head, which belongs to the dispatcher.
     */
    Callable<Lookup> lookupJob(RequestTarget target, String acceptEncoding, boolean openForBody) {
        EncodingPreference preference = EncodingPreference.parse(acceptEncoding);
        List<ContentCoding> order = precompressed ? preference.order()
                : preference.accepts(ContentCoding.IDENTITY) ? IDENTITY_ONLY : List.of();
        return () -> lookup(target, order, openForBody);
    }

    private Lookup lookup(RequestTarget target, List<ContentCoding> order, boolean open) throws IOException {
        ServedTree.Resolution resolution = tree.resolve(target.segments());
        if (resolution instanceof ServedTree.Resolution.Forbidden) {
            return new Lookup.Refused(403);
        }
        if (!(resolution instanceof ServedTree.Resolution.Found)) {
            return NOT_FOUND;
        }
        ServedTree.Resolution.Found found = (ServedTree.Resolution.Found) resolution;
        List<String> segments = target.segments();
        if (found.info().isRegularFile()) {
            // "/file/" names a directory that is not there
            return target.endsWithSlash() ? NOT_FOUND
                    : representation(found, segments.get(segments.size() - 1), order, open);
        }
        if (!target.endsWithSlash()) {
            String query = target.rawQuery() == null ? "" : "?" + target.rawQuery();
            return new Lookup.Redirect(PathEncoding.encodePath(target.path()) + "/" + query);
        }
        List<String> indexPath = new ArrayList<>(segments);
        indexPath.add("index.html");
        ServedTree.Resolution index = tree.resolve(indexPath);
        if (index instanceof ServedTree.Resolution.Found && ((ServedTree.Resolution.Found) index).info().isRegularFile()) {
            return representation((ServedTree.Resolution.Found) index, "index.html", order, open);
        }
        if (!listing) {
            return NOT_FOUND;
        }
        List<DirectoryEntry> entries = new ArrayList<>();
        for (ServedTree.Entry e : tree.list(found.path())) {
            if (!servableName(e.name())) {
                continue;
            }
            entries.add(new DirectoryEntry(e.name(), e.directory(), e.size(), e.lastModifiedMillis()));
        }
        return new Lookup.Listing(DirectoryListingPage.render(target.path(), entries, !segments.isEmpty()));
    }

    /**
     * Whether a request could name this file: the protocol layer refuses control characters and
     * backslashes in paths, so listing such a name would offer a link that can never work.
     */
    private static boolean servableName(String name) {
        return name.chars().noneMatch(c -> c < 0x20 || c == 0x7F || c == '\\');
    }

    /** Picks the coding to send among the file and its fresh precompressed siblings, and opens it. */
    private Lookup representation(ServedTree.Resolution.Found file, String typeName, List<ContentCoding> order,
                                  boolean open) throws IOException {
        ServedTree.Resolution.Found brotli = null;
        ServedTree.Resolution.Found gzip = null;
        if (precompressed) {
            brotli = tree.freshVariant(file, ContentCoding.BROTLI.fileSuffix());
            gzip = tree.freshVariant(file, ContentCoding.GZIP.fileSuffix());
        }
        for (ContentCoding coding : order) {
            ServedTree.Resolution.Found chosen = coding == ContentCoding.IDENTITY ? file
                    : coding == ContentCoding.BROTLI ? brotli : gzip;
            if (chosen == null) {
                continue;
            }
            AsynchronousFileChannel channel = null;
            if (open) {
                try {
                    channel = tree.open(chosen.path(), diskHelpers);
                } catch (java.nio.file.AccessDeniedException e) {
                    // its permissions changed since it was resolved
                    return new Lookup.Refused(403);
                }
                openFiles.incrementAndGet();
            }
            long length;
            try {
                length = channel != null ? channel.size() : chosen.info().size();
            } catch (IOException e) {
                close(channel);
                throw e;
            }
            return new Lookup.FileFound(chosen.info(), typeName, coding, brotli != null || gzip != null, length, channel);
        }
        return new Lookup.Refused(406);
    }

    /**
     * Writes the status and representation fields for a lookup's outcome into {@code out} and returns the
     * body a GET gets. Dispatcher thread. A file channel the body does not need is closed here.
     */
    ResponseBody respond(RequestHead request, Lookup lookup, RandomGenerator random, ResponseHead out) {
        if (lookup instanceof Lookup.FileFound) {
            Lookup.FileFound file = (Lookup.FileFound) lookup;
            String variant = file.coding() == ContentCoding.IDENTITY ? null : file.coding().token();
            long now = System.currentTimeMillis();
            // §8.8.2.1: a modification time in the future is never sent; the present stands in for it
            long lastModified = Math.min(file.info().lastModifiedMillis(), now);
            Representation rep = new Representation(file.length(), lastModified,
                    EntityTags.forFile(file.info().identity(), file.length(), file.info().lastModifiedNanos(), variant),
                    mimeTypes.contentType(file.typeName()), file.coding(), file.varies());
            BodyPlan plan = FileResponses.plan(request, rep, cacheControl, random, now, out);
            ResponseBody body = ResponseBody.of(plan, file.channel());
            if (!body.readsFile()) {
                close(file.channel());
            }
            return body;
        }
        if (lookup instanceof Lookup.Redirect) {
            BodyPlan.Bytes note = ErrorResponses.write(301, out);
            out.header("Location", ((Lookup.Redirect) lookup).location());
            return ResponseBody.of(note.content());
        }
        if (lookup instanceof Lookup.Listing) {
            byte[] html = ((Lookup.Listing) lookup).html();
            out.start(200);
            out.header("Content-Type", "text/html; charset=utf-8");
            out.header("Content-Length", html.length);
            out.header("Cache-Control", "no-cache");
            return ResponseBody.of(html);
        }
        int status = ((Lookup.Refused) lookup).status();
        ResponseBody error = ResponseBody.of(ErrorResponses.write(status, out).content());
        if (status == 406) {
            // §12.5.5: the refusal depended on Accept-Encoding
            out.header("Vary", "Accept-Encoding");
        }
        return error;
    }

    /** Closes a file this service opened (null is fine). Every such file is closed through here. */
    void close(AsynchronousFileChannel channel) {
        if (channel != null) {
            openFiles.decrementAndGet();
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing a read-only file cannot lose data
            }
        }
    }

    /** Files opened for responses and not yet closed. */
    int openFiles() {
        return openFiles.get();
    }
}
