package amped.protocol.conditional;

/** Entity-tags for files served from disk. */
public final class EntityTags {

    private EntityTags() {
    }

    /**
     * A strong tag {@code "hex(identity)-hex(size)-hex(time)[-variant]"}, e.g. {@code "1a2b-400-18c2f3e1a00-gzip"}.
     *
     * <p>It depends only on file metadata, never on process state, so it is stable across restarts of the server
     * (it is not across copies of the file: another inode is another identity), and it changes whenever a write changes the size or the modification time.
     * Being strong (§8.8.1) relies on the file system's timestamp resolution: a same-size rewrite within one tick
     * would keep the tag, the same trade-off every metadata-based server makes. The variant keeps precompressed
     * representations ({@code "br"}, {@code "gzip"}) distinct from the identity one, since they are different
     * representations with different bytes (§8.8.3).
     *
     * @param identity                  anything that identifies the file (e.g. inode number or a hash of the file key)
     * @param size                      size in bytes
     * @param lastModifiedNanosOrMillis modification time, in whatever unit the caller consistently uses
     * @param variant                   null for the identity representation, else a non-empty coding token
     */
    public static EntityTag forFile(long identity, long size, long lastModifiedNanosOrMillis, String variant) {
        StringBuilder opaque = new StringBuilder(64)
                .append(Long.toHexString(identity)).append('-')
                .append(Long.toHexString(size)).append('-')
                .append(Long.toHexString(lastModifiedNanosOrMillis));
        if (variant != null) {
            if (variant.isEmpty()) {
                throw new IllegalArgumentException("empty variant");
            }
            opaque.append('-').append(variant);
        }
        return EntityTag.strong(opaque.toString()); // the constructor rejects characters not allowed in a tag
    }
}
