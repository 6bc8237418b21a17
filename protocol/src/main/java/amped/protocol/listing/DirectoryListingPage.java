package amped.protocol.listing;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Renders a directory's entries as a self-contained UTF-8 HTML5 page: breadcrumbs, the number of folders and
 * files, column heads that sort (plain links, so sorting works without scripts), a filter box that a small
 * inline script brings to life, light and dark by the reader's preference, readable on a phone. No external
 * resources; the inline style and script are allowed by hash ({@link ListingAssets#CONTENT_SECURITY_POLICY}).
 *
 * <p>Links are relative to the listing, so the page must be served at the directory's URL with
 * its trailing slash ({@code /docs/}, not {@code /docs}).
 */
public final class DirectoryListingPage {

    /** The default order: directories first, then names in natural order ({@link ListingOrder#NATURAL}). */
    static final Comparator<DirectoryEntry> LISTING_ORDER = ListingOrder.of(ListingQuery.SortKey.NAME, false);

    /** Characters of markup around one row besides name, href, size and date; an estimate. */
    private static final int ROW_OVERHEAD = 220;

    private DirectoryListingPage() {
    }

    /**
     * The complete page of all entries, UTF-8 encoded, however many there are (the server pages large
     * directories with {@link #renderPage}).
     *
     * @param decodedDirectoryPath the directory's URL path, percent-decoded, e.g. "/docs/"
     * @param entries              the directory's entries in any order; entries named "", "." or ".." are
     *                             skipped, since their links would not name an entry
     * @param includeParentLink    whether to start with a "../" row (false at the root)
     */
    public static byte[] render(
            String decodedDirectoryPath, List<DirectoryEntry> entries, boolean includeParentLink) {
        List<DirectoryEntry> sorted = ListingPages.sorted(entries);
        return renderPage(ListedDirectory.of(decodedDirectoryPath, includeParentLink, sorted), sorted,
                ListingQuery.DEFAULT, 1);
    }

    /** One page, in the default order, of a listing whose entries are counted from this page alone. */
    public static byte[] renderPage(String decodedDirectoryPath, List<DirectoryEntry> sortedEntries,
                                    boolean includeParentLink, int page, int pages) {
        return renderPage(ListedDirectory.of(decodedDirectoryPath, includeParentLink, sortedEntries), sortedEntries,
                new ListingQuery(page, ListingQuery.SortKey.NAME, false, false, false), pages);
    }

    /**
     * One page of a listing, UTF-8 encoded: its entries, and when there is more than one page, links to the
     * previous and next ones ({@code rel="prev"}, {@code rel="next"}) above and below the table.
     *
     * @param sortedEntries the page's entries, already in the order {@code query} asks for
     * @param query         the page's number and order (links keep the order)
     * @param pages         how many pages the listing has
     */
    public static byte[] renderPage(ListedDirectory directory, List<DirectoryEntry> sortedEntries,
                                    ListingQuery query, int pages) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(sortedEntries, "sortedEntries");
        long nameChars = 0;
        for (DirectoryEntry entry : sortedEntries) {
            nameChars += entry.name().length();
        }
        String path = directory.decodedPath();
        // Each name appears twice (href and text), usually slightly grown by escaping.
        long estimate = 4096 + 8L * path.length() + 3 * nameChars + (long) ROW_OVERHEAD * sortedEntries.size();
        StringBuilder out = new StringBuilder((int) Math.min(estimate, Integer.MAX_VALUE - 16));

        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"color-scheme\" content=\"light dark\">\n<title>Index of ");
        Html.appendEscaped(out, path);
        out.append("</title>\n<style>").append(ListingAssets.STYLE).append("</style>\n</head>\n<body>\n");
        appendBreadcrumbs(out, path);
        appendSummary(out, directory);
        String navigation = pages > 1 ? navigation(query, pages) : "";
        out.append(navigation);
        out.append("<table>\n<thead><tr>");
        appendHead(out, query, ListingQuery.SortKey.NAME, "n", "Name");
        appendHead(out, query, ListingQuery.SortKey.SIZE, "s", "Size");
        appendHead(out, query, ListingQuery.SortKey.TIME, "m", "Last modified (UTC)");
        out.append("</tr></thead>\n<tbody>\n");
        if (directory.parentLink()) {
            out.append("<tr class=\"d up\"><td class=\"n\"><a href=\"../\">../</a></td>")
                    .append("<td class=\"s\">-</td><td class=\"m\">-</td></tr>\n");
        }
        for (DirectoryEntry entry : sortedEntries) {
            appendRow(out, entry);
        }
        out.append("</tbody>\n</table>\n").append(navigation)
                .append("<script>").append(ListingAssets.SCRIPT).append("</script>\n</body>\n</html>\n");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** "Index of / a / b /": each ancestor a link up, the directory itself plain. */
    private static void appendBreadcrumbs(StringBuilder out, String path) {
        String[] names = path.length() == 1 ? new String[0] : path.substring(1, path.length() - 1).split("/", -1);
        int depth = names.length;
        out.append("<h1>Index of ");
        for (int level = 0; level <= depth; level++) {
            String label = level == 0 ? "/" : names[level - 1] + "/";
            if (level < depth) {
                out.append("<a href=\"").append("../".repeat(depth - level)).append("\">");
                Html.appendEscaped(out, label);
                out.append("</a>");
            } else {
                Html.appendEscaped(out, label);
            }
        }
        out.append("</h1>\n");
    }

    /** "2 folders, 14 files", the filter box (shown by the script) and the archive link. */
    private static void appendSummary(StringBuilder out, ListedDirectory directory) {
        out.append("<div class=\"bar\"><span>");
        count(out, directory.directories(), "folder");
        out.append(", ");
        count(out, directory.files(), "file");
        out.append("</span>");
        if (directory.archiveLink()) {
            out.append("<a href=\"?download=zip\" download>Download all as .zip</a>");
        }
        out.append("<input type=\"search\" id=\"filter\" placeholder=\"Filter this page\" aria-label=\"Filter\" hidden>")
                .append("<span id=\"shown\"></span></div>\n");
    }

    private static void count(StringBuilder out, int n, String noun) {
        out.append(n).append(' ').append(noun).append(n == 1 ? "" : "s");
    }

    /** A column head: a link sorting by it, with an arrow when it is the order now. */
    private static void appendHead(StringBuilder out, ListingQuery query, ListingQuery.SortKey key, String cls,
                                   String label) {
        boolean current = query.sort() == key;
        out.append("<th class=\"").append(cls).append('"');
        if (current) {
            out.append(" aria-sort=\"").append(query.descending() ? "descending" : "ascending").append('"');
        }
        out.append("><a href=\"");
        Html.appendEscaped(out, query.hrefToSort(key));
        out.append("\">").append(label).append("</a>");
        if (current) {
            out.append(query.descending() ? " \u2193" : " \u2191");
        }
        out.append("</th>");
    }

    /** "previous · page K of N · next", each link only where that page exists. */
    private static String navigation(ListingQuery query, int pages) {
        int page = query.page();
        StringBuilder nav = new StringBuilder(128).append("<nav>");
        if (page > 1) {
            nav.append("<a rel=\"prev\" href=\"");
            Html.appendEscaped(nav, query.hrefToPage(page - 1));
            nav.append("\">previous</a> \u00B7 ");
        }
        nav.append("page ").append(page).append(" of ").append(pages);
        if (page < pages) {
            nav.append(" \u00B7 <a rel=\"next\" href=\"");
            Html.appendEscaped(nav, query.hrefToPage(page + 1));
            nav.append("\">next</a>");
        }
        return nav.append("</nav>\n").toString();
    }

    private static void appendRow(StringBuilder out, DirectoryEntry entry) {
        String name = entry.name();
        boolean directory = entry.directory();
        out.append(directory ? "<tr class=\"d\">" : "<tr>").append("<td class=\"n\"><a href=\"");
        // ':' is the one scheme-relevant char the encoding keeps, so the encoded segment has one
        // exactly when the name does; "a:b" as a relative reference would be read as scheme "a"
        // (RFC 3986 section 4.2).
        if (name.indexOf(':') >= 0) {
            out.append("./");
        }
        // The encoded segment is ASCII without '&', '"', '\'' or '<', so it needs no HTML escaping.
        PathEncoding.appendEncodedSegment(out, name);
        if (directory) {
            out.append('/');
        }
        out.append("\">");
        Html.appendEscaped(out, name);
        if (directory) {
            out.append('/');
        }
        out.append("</a></td>");

        long size = entry.size();
        if (directory || size < 0) {
            out.append("<td class=\"s\">-</td>");
        } else {
            out.append("<td class=\"s\" data-bytes=\"").append(size)
                    .append("\" title=\"").append(size).append(size == 1 ? " byte\">" : " bytes\">");
            HumanByteSize.appendTo(out, size);
            out.append("</td>");
        }
        // the zone is said once, in the column's head: a row of a 1,000-entry page costs every byte 1,000 times
        out.append("<td class=\"m\">");
        UtcTimestamp.appendTo(out, entry.lastModifiedMillis());
        out.append("</td></tr>\n");
    }
}
