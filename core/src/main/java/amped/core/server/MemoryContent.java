package amped.core.server;

import amped.fileio.MappedFile;
import amped.fileio.ServedTree;
import amped.protocol.RequestTarget;
import amped.protocol.encoding.ContentCoding;
import java.io.IOException;
import java.util.List;

/**
 * The link that puts representations in memory, so that a cached file is sent without a disk helper:
 * files up to the cache's file limit are read whole, larger ones up to half a dispatcher's cache share
 * are mapped (only by the lookup whose outcome the cache keeps). A variant that has not changed since
 * the previous resolution keeps its loaded content. Blocking.
 */
final class MemoryContent implements ContentSource {

    private final ContentSource next;
    private final ServedTree tree;
    private final int cacheMaxFile;
    /** Largest file kept mapped in a dispatcher's cache: half its share of the cache. */
    private final long mapMaxFile;

    MemoryContent(ContentSource next, ServedTree tree, ServerConfig config) {
        this.next = next;
        this.tree = tree;
        this.cacheMaxFile = config.cacheSize == 0 ? 0 : config.cacheMaxFile;
        this.mapMaxFile = config.cacheSize / config.dispatchers / 2;
    }

    @Override
    public Resolved resolve(RequestTarget target, Resolved previous, boolean mayMap, List<ContentCoding> accepted)
            throws IOException {
        Resolved resolved = next.resolve(target, previous, mayMap, accepted);
        if (!(resolved instanceof Resolved.Files files)) {
            return resolved;
        }
        Resolved.Files before = previous instanceof Resolved.Files f ? f : null;
        try {
            return new Resolved.Files(files.contentType(),
                    load(files.identity(), before == null ? null : before.identity(), mayMap),
                    load(files.brotli(), before == null ? null : before.brotli(), mayMap),
                    load(files.gzip(), before == null ? null : before.gzip(), mayMap));
        } catch (IOException | RuntimeException e) {
            // nothing is returned, so nothing may be left open (mappings made so far go to the collector)
            Resolved.closeHandles(files);
            throw e;
        }
    }

    private Resolved.Variant load(Resolved.Variant v, Resolved.Variant before, boolean mayMap) throws IOException {
        if (v == null) {
            return null;
        }
        if (before != null && before.info().equals(v.info()) && before.path().equals(v.path())) {
            // unchanged: keep its content, mapping and tag (the dispatcher holds the mapping for this job),
            // but not its encoded 200 fields, which depend on the siblings (Vary) that may have changed
            return new Resolved.Variant(v.handle(), before.info(), before.etag(), before.content(), before.mapped());
        }
        long size = v.info().size();
        byte[] content = size <= cacheMaxFile ? tree.readWhole(v.handle(), v.info(), cacheMaxFile) : null;
        MappedFile mapped = mayMap && content == null && size > cacheMaxFile && size <= mapMaxFile
                ? mapIfUnchanged(v) : null;
        return new Resolved.Variant(v.handle(), v.info(), v.etag(), content, mapped);
    }

    /** A mapping of the whole file, unless it changed size between the stat and the mapping. */
    private MappedFile mapIfUnchanged(Resolved.Variant v) throws IOException {
        MappedFile mapped = tree.map(v.handle());
        if (mapped.size() != v.info().size()) {
            mapped.releaseIfUnheld();
            return null;
        }
        return mapped;
    }
}
