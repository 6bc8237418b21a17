package amped.core.server;

import amped.fileio.ServedTree;
import amped.protocol.RequestTarget;
import amped.protocol.encoding.ContentCoding;
import amped.protocol.encoding.EncodingPreference;
import java.io.IOException;
import java.util.List;

/**
 * The link that finds precompressed siblings: for a file {@code f}, a fresh {@code f.br} and {@code f.gz}
 * (regular, admitted by the tree's policy, not older than {@code f}) become variants of it with ETags of
 * their own. Blocking.
 */
final class PrecompressedContent implements ContentSource {

    private static final List<ContentCoding> IDENTITY_ONLY = List.of(ContentCoding.IDENTITY);

    private final ContentSource next;
    private final ServedTree tree;

    PrecompressedContent(ContentSource next, ServedTree tree) {
        this.next = next;
        this.tree = tree;
    }

    /**
     * The codings to try for this Accept-Encoding, best first; empty when nothing is acceptable. Without
     * other codings (no precompressed files, no gzip on the fly) only identity can be offered.
     */
    static List<ContentCoding> codingOrder(String acceptEncoding, boolean codings) {
        if (acceptEncoding == null && codings) {
            return IDENTITY_ONLY;
        }
        EncodingPreference preference = EncodingPreference.parse(acceptEncoding);
        if (codings) {
            return preference.order();
        }
        return preference.accepts(ContentCoding.IDENTITY) ? IDENTITY_ONLY : List.of();
    }

    @Override
    public Resolved resolve(RequestTarget target, Resolved previous, boolean mayMap, List<ContentCoding> accepted)
            throws IOException {
        Resolved resolved = next.resolve(target, previous, mayMap, accepted);
        if (!(resolved instanceof Resolved.Files(String type, Resolved.Variant identity, var _, var _, var _))) {
            return resolved;
        }
        ServedTree.Resolution.Found file = new ServedTree.Resolution.Found(identity.handle(), identity.info());
        return new Resolved.Files(type, identity, sibling(file, ContentCoding.BROTLI), sibling(file, ContentCoding.GZIP));
    }

    private Resolved.Variant sibling(ServedTree.Resolution.Found file, ContentCoding coding) {
        ServedTree.Resolution.Found found = tree.freshVariant(file, coding.fileSuffix());
        return found == null ? null : DiskContent.variant(found, coding);
    }
}
