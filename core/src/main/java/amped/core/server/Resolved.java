package amped.core.server;

import amped.fileio.FileHandle;
import amped.fileio.FileInfo;
import amped.fileio.MappedFile;
import amped.protocol.conditional.EntityTag;
import amped.protocol.encoding.ContentCoding;
import java.nio.file.Path;
import java.util.List;

/**
 * What a request path resolved to on disk: immutable, so the file cache can keep it and any thread can
 * read it. The content coding to send is chosen per request from it ({@link Files#choose}).
 */
sealed interface Resolved {

    /** Takes (or lets go of) a hold on the mappings of a resolution, if it has any; null is fine. */
    static void hold(Resolved resolved, boolean take) {
        if (resolved instanceof Files files) {
            files.hold(take);
        }
    }

    /** Closes the handles a lookup resolved the variants through (null is fine): the lookup is over. */
    static void closeHandles(Resolved resolved) {
        if (resolved instanceof Directory directory) {
            directory.handle().close();
        }
        if (resolved instanceof Files files) {
            for (Variant v : new Variant[] {files.identity(), files.brotli(), files.gzip()}) {
                if (v != null && v.handle() != null) {
                    v.handle().close();
                }
            }
        }
    }

    /** Whether gzip is made of a file on the fly ({@link GzipContent}), for clients that ask for it. */
    enum GzipOnTheFly {
        /** Not at all: gzip is off, the file is not worth it, or a precompressed sibling serves gzip. */
        NONE,
        /** It is made the first time a client asks for it (the gzip variant is null till then). */
        ON_REQUEST,
        /** It is made: the gzip variant holds it, in memory. */
        MADE,
        /** It was made and was no smaller than the file: identity is served to everyone. */
        NOT_SMALLER
    }

    /**
     * A regular file and its fresh precompressed siblings (null where there is none), or the gzip made of it.
     *
     * @param contentType the media type of the original file, which every variant carries
     * @param onTheFly    whether the gzip variant is, or will be, made of the file rather than found beside it
     */
    record Files(String contentType, Variant identity, Variant brotli, Variant gzip, GzipOnTheFly onTheFly)
            implements Resolved {

        /** A file whose gzip is never made on the fly. */
        Files(String contentType, Variant identity, Variant brotli, Variant gzip) {
            this(contentType, identity, brotli, gzip, GzipOnTheFly.NONE);
        }

        /** Whether other codings than identity exist (or will), so responses depend on Accept-Encoding. */
        boolean varies() {
            return brotli != null || gzip != null || onTheFly == GzipOnTheFly.ON_REQUEST;
        }

        /**
         * Whether this client would be served gzip if it were made, and it is not made yet: then a disk
         * helper makes it ({@link GzipContent}) before the response.
         */
        boolean gzipToMake(List<ContentCoding> order) {
            if (onTheFly != GzipOnTheFly.ON_REQUEST) {
                return false;
            }
            for (ContentCoding coding : order) {
                if (coding == ContentCoding.GZIP) {
                    return true;
                }
                if (variant(coding) != null) {
                    return false;
                }
            }
            return false;
        }

        /** Whether ranges of this coding's bytes are served: not of a gzip made on the fly. */
        boolean byteRanges(ContentCoding coding) {
            return coding != ContentCoding.GZIP || onTheFly != GzipOnTheFly.MADE;
        }

        /** The first coding in the client's order that exists, or null when none does (406). */
        ContentCoding choose(List<ContentCoding> order) {
            for (ContentCoding coding : order) {
                if (variant(coding) != null) {
                    return coding;
                }
            }
            return null;
        }

        Variant variant(ContentCoding coding) {
            return switch (coding) {
                case BROTLI -> brotli;
                case GZIP -> gzip;
                case IDENTITY -> identity;
            };
        }

        /** Bytes of file content held in memory or mapped. */
        long contentBytes() {
            return size(identity) + size(brotli) + size(gzip);
        }

        private static long size(Variant v) {
            if (v == null) {
                return 0;
            }
            return v.content() != null ? v.content().length : v.mapped() != null ? v.mapped().size() : 0;
        }

        /** Takes (or lets go of) a hold on every mapping, for the file cache or a lookup in flight. */
        void hold(boolean take) {
            for (Variant v : new Variant[] {identity, brotli, gzip}) {
                if (v != null && v.mapped() != null) {
                    if (take) {
                        v.mapped().retain();
                    } else {
                        v.mapped().release();
                    }
                }
            }
        }

        /** Unmaps the mappings nobody took (a HEAD of a file that was not cached, say). */
        void dropUnheld() {
            for (Variant v : new Variant[] {identity, brotli, gzip}) {
                if (v != null && v.mapped() != null) {
                    v.mapped().releaseIfUnheld();
                }
            }
        }
    }

    /** A directory asked for without its trailing slash: redirect to this (encoded) path plus "/". */
    record Redirect(String location) implements Resolved {
    }

    /**
     * A directory to list, held open by its handle until the lookup is over; the lookup turns it into a
     * {@link Listing} on the disk helper, so no dispatcher ever sees one.
     */
    record Directory(FileHandle handle, FileInfo info) implements Resolved {
    }

    /** A page of a directory listing, shared with other requests ({@link Listings}; never in the file cache). */
    record Listing(ListingTicket ticket) implements Resolved {
    }

    /** A folder to send as a zip archive (never in the file cache). */
    record Archive(FolderArchive archive) implements Resolved {
    }

    /** Nothing to serve: 404 or 403. */
    record Refused(int status) implements Resolved {
    }

    /**
     * One representation on disk: the file itself or a precompressed sibling.
     *
     * @param path    its real path (what the cache compares, and what logs name)
     * @param etag    strong validator of these bytes, computed once
     * @param content the whole file when it is small enough to cache, else null
     * @param mapped  the file mapped into memory when it is too large for {@code content} but small enough
     *                to keep mapped in the cache, else null (then it is read from disk per response)
     * @param okHead  the encoded fields of its plain 200, made on first use by the dispatcher
     * @param handle  what the lookup that made it holds the file open by (its descriptor): content, mapping
     *                and channel are made from exactly that file. Open only while that lookup runs; null
     *                for variants not made by a lookup
     */
    record Variant(Path path, FileInfo info, EntityTag etag, byte[] content, MappedFile mapped, OkHead okHead,
                   FileHandle handle) {
        Variant(Path path, FileInfo info, EntityTag etag, byte[] content, MappedFile mapped) {
            this(path, info, etag, content, mapped, new OkHead(), null);
        }

        Variant(FileHandle handle, FileInfo info, EntityTag etag, byte[] content, MappedFile mapped) {
            this(handle.path(), info, etag, content, mapped, new OkHead(), handle);
        }
    }

    /**
     * The pre-encoded fields of a variant's plain 200, filled in lazily: the one mutable part of a
     * resolution, written and read only by the dispatcher whose cache holds it.
     */
    final class OkHead {
        byte[] fields;
    }
}
