package amped.core.server;

import amped.fileio.ServedTree;
import amped.protocol.MimeTypes;
import amped.protocol.RequestTarget;
import amped.protocol.conditional.EntityTags;
import amped.protocol.encoding.ContentCoding;
import amped.protocol.listing.ListingQuery;
import amped.protocol.listing.PathEncoding;
import java.io.IOException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.AccessDeniedException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The end of the content chain: the served tree itself. A path is a file (its identity variant, nothing
 * loaded), a directory (its index.html, a listing, or a redirect to add the slash) or nothing servable.
 * Listings are built and shared by {@link Listings}.
 * Also opens files for the responses that read them, and counts them until they are closed. Shared by all
 * dispatchers; blocking methods run on disk helpers.
 */
final class DiskContent implements ContentSource {

    private static final Resolved NOT_FOUND = new Resolved.Refused(404);

    private final ServedTree tree;
    private final ExecutorService diskHelpers;
    private final MimeTypes mimeTypes;
    private final boolean listing;
    private final AtomicInteger openFiles = new AtomicInteger();
    private final Listings listings;
    private final boolean archives;
    private final long listingMemory;

    DiskContent(ServedTree tree, ExecutorService diskHelpers, ServerConfig config) {
        this.tree = tree;
        this.diskHelpers = diskHelpers;
        this.mimeTypes = config.mimeTypes;
        this.listing = config.listing;
        this.listings = new Listings(tree, config.listingMemory, config.archives);
        this.archives = config.archives;
        this.listingMemory = config.listingMemory;
    }

    ServedTree tree() {
        return tree;
    }

    ExecutorService diskHelpers() {
        return diskHelpers;
    }

    @Override
    public Resolved resolve(RequestTarget target, Resolved previous, boolean mayMap, List<ContentCoding> accepted)
            throws IOException {
        List<String> segments = target.segments();
        return switch (tree.resolve(segments)) {
            case ServedTree.Resolution.Forbidden() -> new Resolved.Refused(403);
            case ServedTree.Resolution.NotFound() -> NOT_FOUND;
            case ServedTree.Resolution.Found found when found.info().isRegularFile() ->
                    // "/file/" names a directory that is not there
                    target.endsWithSlash() ? NOT_FOUND : file(found, segments.getLast());
            case ServedTree.Resolution.Found directory -> {
                Resolved resolved = null;
                try {
                    resolved = target.endsWithSlash() ? directory(target, directory)
                            : new Resolved.Redirect(PathEncoding.encodePath(target.path()) + "/");
                    yield resolved;
                } finally {
                    // a directory to list stays open until its lookup is over; the listing reads exactly it
                    if (!(resolved instanceof Resolved.Directory)) {
                        directory.close();
                    }
                }
            }
        };
    }

    private Resolved directory(RequestTarget target, ServedTree.Resolution.Found directory) throws IOException {
        List<String> indexPath = new ArrayList<>(target.segments());
        indexPath.add("index.html");
        switch (tree.resolve(indexPath)) {
            case ServedTree.Resolution.Found index when index.info().isRegularFile() -> {
                return file(index, "index.html");
            }
            case ServedTree.Resolution.Found notAFile -> notAFile.close();
            case ServedTree.Resolution.NotFound _, ServedTree.Resolution.Forbidden _ -> {
                // no index: a listing, if allowed
            }
        }
        return listing ? new Resolved.Directory(directory.handle(), directory.info()) : NOT_FOUND;
    }

    /** The page of the directory's listing the request asks for, shared ({@link Listings}). Blocking. */
    Resolved.Listing list(RequestTarget target, ListingQuery query, Resolved.Directory directory, Interest interest) {
        return new Resolved.Listing(listings.request(target, query, directory.handle(), directory.info(), interest));
    }

    /**
     * The folder as a zip archive ({@link FolderArchive}), 404 when archives are off, 503 when the folder has more
     * entries than the listing memory would hold. Blocking.
     */
    Resolved archive(RequestTarget target, Resolved.Directory directory, Interest interest) throws IOException {
        if (!archives) {
            return NOT_FOUND;
        }
        try {
            return new Resolved.Archive(FolderArchive.walk(tree, target, directory.handle(), listingMemory, interest));
        } catch (FolderArchive.TooLargeException e) {
            return new Resolved.Refused(503);
        } catch (AccessDeniedException e) {
            return new Resolved.Refused(403);
        }
    }

    /**
     * Opens a member of an archive, resolved by its path as a request would be, for the disk reads of the
     * response; null when it is no longer a file that may be served. Blocking.
     */
    AsynchronousFileChannel openMember(List<String> segments) throws IOException {
        if (!(tree.resolve(segments) instanceof ServedTree.Resolution.Found found)) {
            return null;
        }
        try {
            if (!found.info().isRegularFile()) {
                return null;
            }
            AsynchronousFileChannel channel = tree.open(found.handle(), diskHelpers);
            openFiles.incrementAndGet();
            return channel;
        } finally {
            found.close();
        }
    }

    Listings listings() {
        return listings;
    }

    /**
     * A regular file as its identity variant, holding the file open; siblings and content are later links'
     * concern, and closing the handle the lookup's.
     */
    private Resolved.Files file(ServedTree.Resolution.Found file, String typeName) {
        return new Resolved.Files(mimeTypes.contentType(typeName), variant(file, ContentCoding.IDENTITY), null, null);
    }

    /** A representation on disk, held open by its handle and tagged for its coding; nothing loaded yet. */
    static Resolved.Variant variant(ServedTree.Resolution.Found found, ContentCoding coding) {
        String tagVariant = coding == ContentCoding.IDENTITY ? null : coding.token();
        return new Resolved.Variant(found.handle(), found.info(),
                EntityTags.forFile(found.info().size(), found.info().lastModifiedNanos(), tagVariant), null, null);
    }

    /** Opens the chosen variant for the disk reads of a response. Blocking. */
    Lookup open(Resolved.Files files, ContentCoding coding) throws IOException {
        Resolved.Variant v = files.variant(coding);
        AsynchronousFileChannel channel;
        try {
            channel = tree.open(v.handle(), diskHelpers);
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

    /** Closes a file opened here (null is fine). Every such file is closed through here. */
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
