package amped.protocol.listing;

import java.util.Objects;

/**
 * One entry of a directory as the listing shows it.
 *
 * @param name               the entry's file name, a single path segment, not percent-encoded
 * @param directory          whether it is a directory (shown with a trailing '/' and no size)
 * @param size               its size in bytes; negative when unknown (shown as "-")
 * @param lastModifiedMillis its last modification time, milliseconds since the epoch
 */
public record DirectoryEntry(String name, boolean directory, long size, long lastModifiedMillis) {

    public DirectoryEntry {
        Objects.requireNonNull(name, "name");
    }
}
