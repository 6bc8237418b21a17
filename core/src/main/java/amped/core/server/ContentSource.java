package amped.core.server;

import amped.protocol.RequestTarget;
import java.io.IOException;

/**
 * A link of the content chain (after Jetty's stack of content factories, one concern each): what a request
 * path resolves to. Blocking, so it runs on a disk helper; {@link CachingContent} on the dispatcher is the
 * chain's head and the only part a connection talks to.
 * <pre>
 *   CachingContent (dispatcher: cache, revalidation, one lookup per path, mapping holds)
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
     */
    Resolved resolve(RequestTarget target, Resolved previous, boolean mayMap) throws IOException;

    /** The chain below the cache for {@code config}, over {@code disk}. */
    static ContentSource below(DiskContent disk, ServerConfig config) {
        ContentSource files = config.precompressed ? new PrecompressedContent(disk, disk.tree()) : disk;
        return new MemoryContent(files, disk.tree(), config);
    }
}
