package amped.core.server;

import amped.protocol.RequestTarget;
import amped.protocol.encoding.ContentCoding;
import java.io.IOException;
import java.util.List;

/**
 * A link of the content chain (after Jetty's stack of content factories, one concern each): what a request
 * path resolves to. Blocking, so it runs on a disk helper; {@link CachingContent} on the dispatcher is the
 * chain's head and the only part a connection talks to.
 * <pre>
 *   CachingContent (dispatcher: cache, revalidation, one lookup per path, mapping holds)
 *     → GzipContent (gzip made of compressible files without a gzip sibling, when a client asks; kept)
 *     → MemoryContent (small files read whole, larger ones mapped; unchanged ones reused)
 *       → PrecompressedContent (fresh f.br / f.gz beside f)
 *         → DiskContent (the served tree: files, directories, index.html, listings, redirects)
 * </pre>
 */
interface ContentSource {

    /**
     * What {@code target} names now.
     *
     * @param previous what was cached for the path, whose loaded content may be reused if unchanged, or null
     * @param mayMap   whether a large file may be mapped (only for the lookup whose outcome the cache keeps)
     * @param accepted the codings the request accepts, best first (what a coding made on request depends on)
     */
    Resolved resolve(RequestTarget target, Resolved previous, boolean mayMap, List<ContentCoding> accepted)
            throws IOException;

    /** The chain below the cache for {@code config}, over {@code disk}. */
    static ContentSource below(DiskContent disk, ServerConfig config) {
        return below(disk, config, new GzipCounters());
    }

    /** The same, counting what gzip on the fly does in {@code gzip}. */
    static ContentSource below(DiskContent disk, ServerConfig config, GzipCounters gzip) {
        ContentSource files = config.precompressed ? new PrecompressedContent(disk, disk.tree()) : disk;
        ContentSource memory = new MemoryContent(files, disk.tree(), config);
        return config.gzip ? new GzipContent(memory, disk.tree(), gzip, config.diskThreads) : memory;
    }
}
