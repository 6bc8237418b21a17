package amped.protocol.listing;

import java.util.List;
import java.util.Objects;

/**
 * What every page of one directory's listing shows besides its entries.
 *
 * @param decodedPath  the directory's URL path, percent-decoded, e.g. "/docs/" (a leading and trailing '/' are
 *                     added when missing)
 * @param parentLink   whether to start with a "../" row (false at the root)
 * @param directories  folders in the whole listing (all pages)
 * @param files        files in the whole listing
 * @param archiveLink  whether to offer the folder as a zip archive
 */
public record ListedDirectory(String decodedPath, boolean parentLink, int directories, int files,
                              boolean archiveLink) {

    public ListedDirectory {
        Objects.requireNonNull(decodedPath, "decodedPath");
        String p = decodedPath.startsWith("/") ? decodedPath : "/" + decodedPath;
        decodedPath = p.endsWith("/") ? p : p + "/";
    }

    /** A directory whose listing is {@code entries}, counted here, without an archive link. */
    public static ListedDirectory of(String decodedPath, boolean parentLink, List<DirectoryEntry> entries) {
        int directories = 0;
        for (DirectoryEntry e : entries) {
            directories += e.directory() ? 1 : 0;
        }
        return new ListedDirectory(decodedPath, parentLink, directories, entries.size() - directories, false);
    }
}
