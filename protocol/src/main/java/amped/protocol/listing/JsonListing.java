package amped.protocol.listing;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A page of a listing as JSON, for scripts:
 * <pre>
 * {"path":"/docs/","page":1,"pages":1,"directories":1,"files":1,"entries":[
 *  {"name":"img","type":"directory","size":null,"mtime":"2026-12-02T10:20:08Z","url":"/docs/img/"},
 *  {"name":"a b.txt","type":"file","size":42,"mtime":"2026-12-01T08:00:00Z","url":"/docs/a%20b.txt"}]}
 * </pre>
 * {@code url} is the absolute path, percent-encoded; {@code next} (when there is a next page) is that page's
 * link relative to the listing. Pure.
 */
public final class JsonListing {

    private JsonListing() {
    }

    public static byte[] renderPage(ListedDirectory directory, List<DirectoryEntry> sortedEntries, ListingQuery query,
                                    int pages) {
        String encodedPath = PathEncoding.encodePath(directory.decodedPath());
        StringBuilder out = new StringBuilder(256 + sortedEntries.size() * (120 + 2 * encodedPath.length()));
        out.append("{\"path\":");
        Json.appendString(out, directory.decodedPath());
        out.append(",\"page\":").append(query.page()).append(",\"pages\":").append(pages)
                .append(",\"directories\":").append(directory.directories())
                .append(",\"files\":").append(directory.files());
        if (query.page() < pages) {
            out.append(",\"next\":");
            Json.appendString(out, query.hrefToPage(query.page() + 1));
        }
        out.append(",\"entries\":[");
        boolean first = true;
        for (DirectoryEntry e : sortedEntries) {
            out.append(first ? "\n" : ",\n");
            first = false;
            out.append("{\"name\":");
            Json.appendString(out, e.name());
            out.append(",\"type\":\"").append(e.directory() ? "directory" : "file").append("\",\"size\":");
            if (e.directory() || e.size() < 0) {
                out.append("null");
            } else {
                out.append(e.size());
            }
            out.append(",\"mtime\":\"");
            UtcTimestamp.appendRfc3339(out, e.lastModifiedMillis());
            out.append("\",\"url\":\"").append(encodedPath);
            // percent-encoded: ASCII without '"' or '\\', nothing to escape
            PathEncoding.appendEncodedSegment(out, e.name());
            out.append(e.directory() ? "/\"}" : "\"}");
        }
        out.append("]}\n");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
