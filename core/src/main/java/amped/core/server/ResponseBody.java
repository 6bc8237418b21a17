package amped.core.server;

import amped.fileio.MappedFile;
import amped.protocol.BodyPlan;
import amped.protocol.ranges.ByteRange;
import amped.protocol.ranges.MultipartByteranges;
import java.nio.channels.AsynchronousFileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The bytes that follow a response head, as an ordered list of segments: pieces of memory (error texts,
 * multipart part heads, listings) and ranges of one file, read from it or sent from a mapping of it
 * ({@link BodyWriter} sends them).
 */
final class ResponseBody {

    sealed interface Segment {
        long length();
    }

    /** {@code length} bytes of {@code bytes} from {@code offset}. */
    record Memory(byte[] bytes, int offset, int count) implements Segment {
        Memory(byte[] bytes) {
            this(bytes, 0, bytes.length);
        }

        @Override
        public long length() {
            return count;
        }
    }

    record FileRange(long offset, long length) implements Segment {
    }

    static final ResponseBody EMPTY = new ResponseBody(null, List.of());

    /** The file the ranges are read from, or null; closed when the response ends. */
    final AsynchronousFileChannel file;
    /** Or the mapping the ranges are sent from, or null; held while the response lasts. */
    final MappedFile mapped;
    final List<Segment> segments;
    final long length;
    /** Or the folder sent as a zip archive, or null ({@link ZipBodyWriter}). */
    final FolderArchive archive;

    private ResponseBody(AsynchronousFileChannel file, List<Segment> segments) {
        this(file, null, segments);
    }

    private ResponseBody(FolderArchive archive) {
        this.file = null;
        this.mapped = null;
        this.segments = List.of();
        this.length = archive.layout().length();
        this.archive = archive;
    }

    /** A folder as a zip archive, made while it is sent. */
    static ResponseBody of(FolderArchive archive) {
        return new ResponseBody(archive);
    }

    private ResponseBody(AsynchronousFileChannel file, MappedFile mapped, List<Segment> segments) {
        long total = 0;
        boolean empties = false;
        boolean ranges = false;
        for (Segment s : segments) {
            total += s.length();
            empties |= s.length() == 0;
            ranges |= s instanceof FileRange && s.length() > 0;
        }
        // an empty segment would ask for a read of nothing: leave it out
        this.segments = empties ? segments.stream().filter(s -> s.length() > 0).toList() : segments;
        // a body that reads nothing from the file does not own it (whoever opened it closes it)
        this.file = ranges ? file : null;
        this.mapped = ranges ? mapped : null;
        this.length = total;
        this.archive = null;
    }

    static ResponseBody of(byte[] bytes) {
        return new ResponseBody(null, List.of(new Memory(bytes)));
    }

    /** The body a plan calls for, taken from a file's whole content held in memory (the file cache). */
    static ResponseBody of(BodyPlan plan, byte[] content) {
        return switch (plan) {
            case BodyPlan.Whole _ -> of(content);
            case BodyPlan.Single(ByteRange r) -> new ResponseBody(null, List.of(slice(content, r.first(), r.length())));
            case BodyPlan.Multipart(MultipartByteranges body) -> new ResponseBody(null,
                    parts(body, r -> slice(content, r.first(), r.length())));
            case BodyPlan.Bytes _, BodyPlan.None _ -> of(plan, (AsynchronousFileChannel) null);
        };
    }

    /** The segments of a multipart body: each part's head, then its range as {@code range} makes it. */
    private static List<Segment> parts(MultipartByteranges body, Function<ByteRange, Segment> range) {
        List<Segment> segments = new ArrayList<>(body.parts().size() * 2 + 1);
        for (MultipartByteranges.Part part : body.parts()) {
            segments.add(new Memory(part.head()));
            segments.add(range.apply(part.range()));
        }
        segments.add(new Memory(body.trailer()));
        return List.copyOf(segments);
    }

    private static Memory slice(byte[] content, long first, long length) {
        return new Memory(content, (int) first, (int) length);
    }

    /** The body a plan calls for, its ranges sent from a mapping of the file. */
    static ResponseBody of(BodyPlan plan, MappedFile mapped) {
        ResponseBody ranges = of(plan, (AsynchronousFileChannel) null);
        return new ResponseBody(null, mapped, ranges.segments);
    }

    /** The body a plan calls for; {@code file} must be open when the plan reads from it. */
    static ResponseBody of(BodyPlan plan, AsynchronousFileChannel file) {
        return switch (plan) {
            case BodyPlan.Whole(long length) -> new ResponseBody(file, List.of(new FileRange(0, length)));
            case BodyPlan.Single(ByteRange r) -> new ResponseBody(file, List.of(new FileRange(r.first(), r.length())));
            case BodyPlan.Multipart(MultipartByteranges body) -> new ResponseBody(file,
                    parts(body, r -> new FileRange(r.first(), r.length())));
            case BodyPlan.Bytes(byte[] content) -> of(content);
            case BodyPlan.None _ -> EMPTY;
        };
    }

    /** Lets go of the file or mapping when the body is not sent after all (a response to HEAD). */
    void discard(DiskContent disk) {
        disk.close(file);
        if (mapped != null) {
            mapped.releaseIfUnheld();
        }
    }
}
