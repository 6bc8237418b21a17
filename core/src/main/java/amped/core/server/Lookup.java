package amped.core.server;

import amped.fileio.FileInfo;
import amped.protocol.encoding.ContentCoding;
import java.nio.channels.AsynchronousFileChannel;

/** What a disk helper found for a request path: the outcome of {@link FileService#lookupJob}. */
sealed interface Lookup {

    /**
     * A file representation to serve.
     *
     * @param info     metadata of the bytes to send (the precompressed sibling's when {@code coding} is one)
     * @param typeName the name the media type comes from: the original file's, not the sibling's
     * @param length   bytes to send: the open channel's size, which is what will really be read
     * @param varies   whether other codings of the file exist
     * @param channel  the opened file, or null when no body is needed (HEAD)
     */
    record FileFound(FileInfo info, String typeName, ContentCoding coding, boolean varies, long length,
                     AsynchronousFileChannel channel) implements Lookup {
    }

    /** A directory asked for without its trailing slash. */
    record Redirect(String location) implements Lookup {
    }

    /** A rendered directory listing. */
    record Listing(byte[] html) implements Lookup {
    }

    /** Nothing to serve: 404, 403 or 406. */
    record Refused(int status) implements Lookup {
    }
}
