package amped.core.server;

import amped.fileio.FileInfo;
import amped.fileio.MappedFile;
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
import java.nio.file.AccessDeniedException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/**
 * Serving files, between the protocol's decisions and the disk: builds the blocking jobs a disk helper
 * runs for a request path (resolve it, pick the representation, read a small file whole or open a large
 * one, render a listing), and turns their outcome — or a cached one — into a response head and body with
 * the pure functions of {@code protocol}. Shared by all dispatchers; it holds no mutable state but the
 * count of open files.
 */
final class FileService {

    private static final Resolved NOT_FOUND = new Resolved.Refused(404);
    private static final List<ContentCoding> IDENTITY_ONLY = List.of(ContentCoding.IDENTITY);

    private final ServedTree tree;
    private final ExecutorService diskHelpers;
    private final MimeTypes mimeTypes;
    private final boolean listing;
    private final boolean precompressed;
    private final String cacheControl;
    private final int cacheMaxFile;
    /** Largest file kept mapped in a dispatcher's cache: half its share of the cache. */
    private final long mapMaxFile;
    private final AtomicInteger openFiles = new AtomicInteger();

    FileService(ServedTree tree, ExecutorService diskHelpers, ServerConfig config) {
        this.tree = tree;
        this.diskHelpers = diskHelpers;
        this.mimeTypes = config.mimeTypes;
        this.listing = config.listing;
        this.precompressed = config.precompressed;
        this.cacheControl = config.cacheControl;
        this.cacheMaxFile = config.cacheSize == 0 ? 0 : config.cacheMaxFile;
        this.mapMaxFile = config.cacheSize / config.dispatchers / 2;
    }

    ExecutorService diskHelpers() {
        return diskHelpers;
    }

    /** The codings to try for this Accept-Encoding, best first; empty when nothing is acceptable. */
    List<ContentCoding> codingOrder(String acceptEncoding) {
        if (acceptEncoding == null && precompressed) {
            return IDENTITY_ONLY;
        }
        EncodingPreference preference = EncodingPreference.parse(acceptEncoding);
        if (precompressed) {
            return preference.order();
        }
        return preference.accepts(ContentCoding.IDENTITY) ? IDENTITY_ONLY : List.of();
    }

    /**
     * The lookup of a resolution (a cached one, say) that needs no disk helper — or null when the body must
     * be read from a file that is not open yet (a full lookup then opens it).
     */
    Lookup withoutDisk(Resolved cached, List<ContentCoding> order, boolean needBody) {
        if (!(cached instanceof Resolved.Files)) {
            return Lookup.of(cached);
        }
        Resolved.Files files = (Resolved.Files) cached;
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

    /**
     * The full lookup of {@code target} for a disk helper: resolve, choose, read small content, open a
     * large file for a GET. It captures only immutable values, never the request head (the dispatcher's).
     *
     * @param previous what the cache held for this path, whose content is reused when the file is unchanged
     * @param mayMap   whether a large file may be mapped (only for the lookup whose outcome the cache keeps)
     */
    Callable<Lookup> lookupJob(RequestTarget target, List<ContentCoding> order, boolean needBody, Resolved previous,
                               boolean mayMap) {
        return () -> {
            // what the tree resolved, held open (by descriptor) until the job is done: contents, mappings
            // and channels are made from exactly what was resolved, never by reopening a path
            List<ServedTree.Resolution.Found> held = new ArrayList<>();
            try {
                Resolved resolved = resolve(target, previous, mayMap, held);
                Lookup lookup = withoutDisk(resolved, order, needBody);
                return lookup != null ? lookup
                        : open((Resolved.Files) resolved, ((Resolved.Files) resolved).choose(order), held);
            } finally {
                for (ServedTree.Resolution.Found found : held) {
                    found.close();
                }
            }
        };
    }

    private Lookup open(Resolved.Files files, ContentCoding coding, List<ServedTree.Resolution.Found> held)
            throws IOException {
        Resolved.Variant v = files.variant(coding);
        ServedTree.Resolution.Found found = held.stream().filter(f -> f.path().equals(v.path())).findFirst().orElse(null);
        if (found == null) {
            // (cannot happen: every variant of a fresh resolution was resolved by this job)
            return Lookup.of(NOT_FOUND);
        }
        AsynchronousFileChannel channel;
        try {
            channel = tree.open(found.handle(), diskHelpers);
        } catch (AccessDeniedException e) {
            // its permissions changed since it was resolved
            return Lookup.of(new Resolved.Refused(403));
        }
        openFiles.incrementAndGet();
        try {
            return new Lookup(files, coding, channel, channel.size());
        } catch (IOException e) {
            close(channel);
            throw e;
        }
    }

    private Resolved resolve(RequestTarget target, Resolved previous, boolean mayMap,
                             List<ServedTree.Resolution.Found> held) throws IOException {
        ServedTree.Resolution resolution = hold(tree.resolve(target.segments()), held);
        if (resolution instanceof ServedTree.Resolution.Forbidden) {
            return new Resolved.Refused(403);
        }
        if (!(resolution instanceof ServedTree.Resolution.Found)) {
            return NOT_FOUND;
        }
        ServedTree.Resolution.Found found = (ServedTree.Resolution.Found) resolution;
        List<String> segments = target.segments();
        if (found.info().isRegularFile()) {
            // "/file/" names a directory that is not there
            return target.endsWithSlash() ? NOT_FOUND
                    : files(found, segments.get(segments.size() - 1), previous, mayMap, held);
        }
        if (!target.endsWithSlash()) {
            return new Resolved.Redirect(PathEncoding.encodePath(target.path()) + "/");
        }
        List<String> indexPath = new ArrayList<>(segments);
        indexPath.add("index.html");
        ServedTree.Resolution index = hold(tree.resolve(indexPath), held);
        if (index instanceof ServedTree.Resolution.Found && ((ServedTree.Resolution.Found) index).info().isRegularFile()) {
            return files((ServedTree.Resolution.Found) index, "index.html", previous, mayMap, held);
        }
        if (!listing) {
            return NOT_FOUND;
        }
        List<DirectoryEntry> entries = new ArrayList<>();
        for (ServedTree.Entry e : tree.list(found.handle())) {
            if (servableName(e.name())) {
                entries.add(new DirectoryEntry(e.name(), e.directory(), e.size(), e.lastModifiedMillis()));
            }
        }
        return new Resolved.Listing(DirectoryListingPage.render(target.path(), entries, !segments.isEmpty()));
    }

    /**
     * Whether a request could name this file: the protocol layer refuses control characters and
     * backslashes in paths, so listing such a name would offer a link that can never work.
     */
    private static boolean servableName(String name) {
        return name.chars().noneMatch(c -> c < 0x20 || c == 0x7F || c == '\\');
    }

    /** A resolution, whose handle (if found) the job holds until it is done. */
    private static <R extends ServedTree.Resolution> R hold(R resolution, List<ServedTree.Resolution.Found> held) {
        if (resolution instanceof ServedTree.Resolution.Found found) {
            held.add(found);
        }
        return resolution;
    }

    /** The file and its fresh precompressed siblings, with the content of those small enough to cache. */
    private Resolved.Files files(ServedTree.Resolution.Found file, String typeName, Resolved previous, boolean mayMap,
                                 List<ServedTree.Resolution.Found> held) throws IOException {
        Resolved.Files before = previous instanceof Resolved.Files ? (Resolved.Files) previous : null;
        Resolved.Variant identity = variant(file, null, before == null ? null : before.identity(), mayMap);
        Resolved.Variant brotli = null;
        Resolved.Variant gzip = null;
        if (precompressed) {
            brotli = variant(hold(tree.freshVariant(file, ContentCoding.BROTLI.fileSuffix()), held),
                    ContentCoding.BROTLI, before == null ? null : before.brotli(), mayMap);
            gzip = variant(hold(tree.freshVariant(file, ContentCoding.GZIP.fileSuffix()), held),
                    ContentCoding.GZIP, before == null ? null : before.gzip(), mayMap);
        }
        return new Resolved.Files(mimeTypes.contentType(typeName), identity, brotli, gzip);
    }

    private Resolved.Variant variant(ServedTree.Resolution.Found found, ContentCoding coding, Resolved.Variant before,
                                     boolean mayMap) throws IOException {
        if (found == null) {
            return null;
        }
        FileInfo info = found.info();
        if (before != null && before.info().equals(info) && before.path().equals(found.path())) {
            // unchanged: keep its content, mapping and tag (the dispatcher holds the mapping for this job),
            // but not its encoded 200 fields, which depend on the siblings (Vary) that may have changed
            return new Resolved.Variant(before.path(), info, before.etag(), before.content(), before.mapped());
        }
        byte[] content = info.size() <= cacheMaxFile ? tree.readWhole(found.handle(), info, cacheMaxFile) : null;
        MappedFile mapped = mayMap && content == null && info.size() > cacheMaxFile && info.size() <= mapMaxFile
                ? mapIfUnchanged(found) : null;
        String tagVariant = coding == null ? null : coding.token();
        return new Resolved.Variant(found.path(), info,
                EntityTags.forFile(info.identity(), info.size(), info.lastModifiedNanos(), tagVariant), content, mapped);
    }

    /** A mapping of the whole file, unless it changed size between the stat and the mapping. */
    private MappedFile mapIfUnchanged(ServedTree.Resolution.Found found) throws IOException {
        MappedFile mapped = tree.map(found.handle());
        if (mapped.size() != found.info().size()) {
            mapped.releaseIfUnheld();
            return null;
        }
        return mapped;
    }

    /**
     * Writes the status and representation fields for a lookup's outcome into {@code out} and returns the
     * body a GET gets. Dispatcher thread. A file channel the body does not need is closed here.
     */
    ResponseBody respond(RequestHead request, RequestTarget target, Lookup lookup, RandomGenerator random,
                         ResponseHead out) {
        Resolved resolved = lookup.resolved();
        if (resolved instanceof Resolved.Files) {
            if (lookup.coding() == null) {
                ResponseBody error = ResponseBody.of(ErrorResponses.write(406, out).content());
                // §12.5.5: the refusal depended on Accept-Encoding
                out.header("Vary", "Accept-Encoding");
                return error;
            }
            Resolved.Files files = (Resolved.Files) resolved;
            Resolved.Variant v = lookup.variant();
            boolean inMemory = lookup.channel() == null && (v.content() != null || v.mapped() != null);
            if (inMemory && !request.hasConditionalOrRange() && v.okHead().fields != null) {
                // the common case, a plain GET of a cached file: its fields were encoded once
                out.start(200).line(v.okHead().fields);
                return v.content() != null ? ResponseBody.of(v.content())
                        : ResponseBody.of(new BodyPlan.Whole(lookup.length()), v.mapped());
            }
            long now = System.currentTimeMillis();
            // §8.8.2.1: a modification time in the future is never sent; the present stands in for it
            long lastModified = Math.min(v.info().lastModifiedMillis(), now);
            Representation rep = new Representation(lookup.length(), lastModified, v.etag(), files.contentType(),
                    lookup.coding(), files.varies());
            BodyPlan plan = FileResponses.plan(request, rep, cacheControl, random, now, out);
            if (inMemory && v.okHead().fields == null && lastModified == v.info().lastModifiedMillis()) {
                // (not for a modification time in the future, whose stand-in moves with the clock)
                v.okHead().fields = FileResponses.okFields(rep, cacheControl);
            }
            ResponseBody body = lookup.channel() != null ? ResponseBody.of(plan, lookup.channel())
                    : v.content() != null ? ResponseBody.of(plan, v.content())
                    : v.mapped() != null ? ResponseBody.of(plan, v.mapped())
                    : ResponseBody.of(plan, (AsynchronousFileChannel) null);
            if (!body.readsFile()) {
                close(lookup.channel());
            }
            return body;
        }
        if (resolved instanceof Resolved.Redirect) {
            BodyPlan.Bytes note = ErrorResponses.write(301, out);
            String query = target.rawQuery() == null ? "" : "?" + target.rawQuery();
            out.header("Location", ((Resolved.Redirect) resolved).location() + query);
            return ResponseBody.of(note.content());
        }
        if (resolved instanceof Resolved.Listing) {
            byte[] html = ((Resolved.Listing) resolved).html();
            out.start(200);
            out.header("Content-Type", "text/html; charset=utf-8");
            out.header("Content-Length", html.length);
            out.header("Cache-Control", "no-cache");
            return ResponseBody.of(html);
        }
        return ResponseBody.of(ErrorResponses.write(((Resolved.Refused) resolved).status(), out).content());
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
