package amped.protocol;

import amped.protocol.ranges.ByteRange;
import amped.protocol.ranges.MultipartByteranges;

/** Which bytes of a representation a response carries; the server turns it into reads and writes. */
public sealed interface BodyPlan {

    BodyPlan NONE = new None();

    /** No content: HEAD, 304, or a status that forbids it. */
    record None() implements BodyPlan {
    }

    /** The whole representation (200). */
    record Whole(long length) implements BodyPlan {
    }

    /** One range of it (206). */
    record Single(ByteRange range) implements BodyPlan {
    }

    /** Several ranges as multipart/byteranges (206). */
    record Multipart(MultipartByteranges body) implements BodyPlan {
    }

    /** A small generated body: an error text, a redirect note, a listing. */
    record Bytes(byte[] content) implements BodyPlan {
    }
}
