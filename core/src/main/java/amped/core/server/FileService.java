package amped.core.server;

import amped.protocol.BodyPlan;
import amped.protocol.ErrorResponses;
import amped.protocol.FileResponses;
import amped.protocol.Representation;
import amped.protocol.RequestHead;
import amped.protocol.RequestTarget;
import amped.protocol.ResponseHead;
import java.nio.channels.AsynchronousFileChannel;
import java.util.random.RandomGenerator;

/**
 * Turns what a lookup found into a response head and body, with the pure functions of {@code protocol}.
 * Shared by all dispatchers; it holds no mutable state.
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
                disk.close(lookup.channel());
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
}
