package amped.core.server;

import amped.protocol.BodyPlan;
import amped.protocol.FileResponses;
import amped.protocol.Representation;
import amped.protocol.RequestHead;
import amped.protocol.RequestTarget;
import amped.protocol.ResourceOutcome;
import amped.protocol.ResponseHead;
import amped.protocol.ResponsePlans;
import java.nio.channels.AsynchronousFileChannel;
import java.util.random.RandomGenerator;

/**
 * Turns what a lookup found into a response head and body: the lookup becomes a {@link ResourceOutcome}
 * and {@link ResponsePlans} (protocol, pure) decides every status and field; the body plan is then made
 * from whatever holds the bytes (memory, a mapping, an open file). Shared by all dispatchers; no state.
 */
final class FileService {

    private final DiskContent disk;
    private final String cacheControl;

    FileService(DiskContent disk, String cacheControl) {
        this.disk = disk;
        this.cacheControl = cacheControl;
    }

    /**
     * Writes the status and representation fields for a lookup's outcome into {@code out} and returns the
     * body a GET gets: the lookup becomes a {@link ResourceOutcome}, {@link ResponsePlans} decides. Dispatcher
     * thread. A file channel the body does not need is closed here.
     */
    ResponseBody respond(RequestHead request, RequestTarget target, Lookup lookup, RandomGenerator random,
                         ResponseHead out) {
        if (lookup.resolved() instanceof Resolved.Files files && lookup.coding() != null) {
            return respondWithFile(request, target, files, lookup, random, out);
        }
        ResourceOutcome outcome = switch (lookup.resolved()) {
            case Resolved.Files _ -> new ResourceOutcome.NotAcceptable(); // no coding the client accepts
            case Resolved.Redirect(String location) -> new ResourceOutcome.Redirect(location);
            case Resolved.Archive(FolderArchive archive) ->
                    new ResourceOutcome.Archive(archive.fileName(), archive.layout().length());
            case Resolved.Listing(ListingTicket ticket) -> switch (ticket.status()) {
                case 200 -> new ResourceOutcome.Listing(ticket.html(), ticket.json());
                case 503 -> new ResourceOutcome.Unavailable(Listings.RETRY_AFTER_SECONDS);
                default -> new ResourceOutcome.Refused(ticket.status());
            };
            // made into a Listing on the disk helper (CachingContent): never answered as such
            case Resolved.Directory _ -> new ResourceOutcome.Refused(500);
            case Resolved.Refused(int status) -> new ResourceOutcome.Refused(status);
        };
        BodyPlan plan = ResponsePlans.plan(request, target, outcome, cacheControl, random, System.currentTimeMillis(),
                out);
        if (lookup.resolved() instanceof Resolved.Archive(FolderArchive archive) && plan instanceof BodyPlan.Whole) {
            return ResponseBody.of(archive);
        }
        return ResponseBody.of(plan, (AsynchronousFileChannel) null);
    }

    /**
     * The response of a 404 whose body is the operator's page, found by {@code lookup}: the status with the
     * page whole, or the plain 404 when the page is not a file that can be sent (missing, hidden, refused).
     */
    ResponseBody respondWithPage(RequestHead request, RequestTarget target, int status, Lookup lookup,
                                 RandomGenerator random, ResponseHead out) {
        if (!(lookup.resolved() instanceof Resolved.Files files) || lookup.coding() == null) {
            lookup.discard(disk);
            return ResponseBody.of(ResponsePlans.plan(request, target, new ResourceOutcome.Refused(status), cacheControl,
                    random, System.currentTimeMillis(), out), (AsynchronousFileChannel) null);
        }
        BodyPlan plan = ResponsePlans.plan(request, target,
                new ResourceOutcome.ErrorPage(status, files.contentType(), lookup.length()), cacheControl, random,
                System.currentTimeMillis(), out);
        return bodyOf(plan, lookup);
    }

    /** The body a plan calls for, from wherever the lookup's bytes are: the opened file, memory or a mapping. */
    private static ResponseBody bodyOf(BodyPlan plan, Lookup lookup) {
        Resolved.Variant v = lookup.variant();
        return lookup.channel() != null ? ResponseBody.of(plan, lookup.channel())
                : v.content() != null ? ResponseBody.of(plan, v.content())
                : v.mapped() != null ? ResponseBody.of(plan, v.mapped())
                : ResponseBody.of(plan, (AsynchronousFileChannel) null);
    }

    /** The response of a file representation: the pre-encoded plain 200 when it answers, else the plan's. */
    private ResponseBody respondWithFile(RequestHead request, RequestTarget target, Resolved.Files files, Lookup lookup,
                                         RandomGenerator random, ResponseHead out) {
        Resolved.Variant v = lookup.variant();
        boolean inMemory = lookup.channel() == null && (v.content() != null || v.mapped() != null);
        if (inMemory && v.okHead().fields != null && ResponsePlans.plainOk(request, v.okHead().fields, out)) {
            // the common case, a plain GET of a cached file: its fields were encoded once
            return v.content() != null ? ResponseBody.of(v.content())
                    : ResponseBody.of(new BodyPlan.Whole(lookup.length()), v.mapped());
        }
        long now = System.currentTimeMillis();
        // §8.8.2.1: a modification time in the future is never sent; the present stands in for it
        long lastModified = Math.min(v.info().lastModifiedMillis(), now);
        Representation rep = new Representation(lookup.length(), lastModified, v.etag(), files.contentType(),
                lookup.coding(), files.varies(), files.byteRanges(lookup.coding()));
        BodyPlan plan = ResponsePlans.plan(request, target, new ResourceOutcome.Found(rep), cacheControl, random, now,
                out);
        if (inMemory && v.okHead().fields == null && lastModified == v.info().lastModifiedMillis()) {
            // (not for a modification time in the future, whose stand-in moves with the clock)
            v.okHead().fields = FileResponses.okFields(rep, cacheControl);
        }
        ResponseBody body = bodyOf(plan, lookup);
        if (body.file == null) {
            // a 304, 412 or 416, or the bytes are in memory: the file opened for the body is not needed
            lookup.discard(disk);
        }
        return body;
    }
}
