package amped.protocol.conditional;

/** Entity-tags for files served from disk. */
public final class EntityTags {

    private EntityTags() {
    }

    /**
     * A strong tag {@code "hex(time)-hex(size)[-variant]"}, e.g. {@code "17979cfe362a0000-400-gzip"}: the
     * modification time and the size, as nginx makes its tags (nginx in seconds, here in the caller's
     * unit, nanoseconds for the server).
     *
     * <p>It depends only on what a copy keeps ({@code cp -p}, {@code rsync -t}), never on the inode or on
     * process state: every instance serving a copy of a file gives it the same tag (a download begun on one
     * resumes on another), restarts keep it, and it tells a stranger nothing about the file system. It
     * changes whenever a write changes the size or the modification time. Being strong (§8.8.1) relies on
     * the file system's timestamp resolution: a same-size rewrite within one tick, or one that sets the old
     * modification time back ({@code touch -r}), keeps the tag, the trade-off every metadata-based server
     * makes (the change time, which such an edit does move, cannot be copied, so it cannot be part of a tag
     * that copies share). A copy onto a file system with coarser timestamps gets another tag: a mismatch
     * costs a full response, never wrong bytes. The variant keeps precompressed representations
     * ({@code "br"}, {@code "gzip"}) distinct from the identity one, since they are different
     * representations with different bytes (§8.8.3).
     *
     * @param size                      size in bytes
     * @param lastModifiedNanosOrMillis modification time, in whatever unit the caller consistently uses
     * @param variant                   null for the identity representation, else a non-empty coding token
     */
    public static EntityTag forFile(long size, long lastModifiedNanosOrMillis, String variant) {
        StringBuilder opaque = new StringBuilder(48)
                .append(Long.toHexString(lastModifiedNanosOrMillis)).append('-')
                .append(Long.toHexString(size));
        if (variant != null) {
            if (variant.isEmpty()) {
                throw new IllegalArgumentException("empty variant");
            }
            opaque.append('-').append(variant);
        }
        return EntityTag.strong(opaque.toString()); // the constructor rejects characters not allowed in a tag
    }

    /**
     * The weak tag {@code W/"hex(time)-hex(size)-gzip"} of the gzip made on the fly of the file whose identity
     * tag {@code forFile(size, time, null)} is. Weak (§8.8.1): the bytes depend on the zlib the JVM carries,
     * so two instances may compress one file differently; If-None-Match compares weakly, so 304s work, and
     * ranges, which would need a strong tag, are not served of it anyway.
     */
    public static EntityTag forGzipMadeOnTheFly(long size, long lastModifiedNanosOrMillis) {
        return new EntityTag(true, forFile(size, lastModifiedNanosOrMillis, "gzip").opaqueTag());
    }
}
