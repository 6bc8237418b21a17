package amped.protocol.listing;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Renders a directory's entries as a self-contained UTF-8 HTML5 page: no scripts, no external
 * resources, one small inline style sheet.
 *
 * <p>Links are relative to the listing, so the page must be served at the directory's URL with
 * its trailing slash ({@code /docs/}, not {@code /docs}).
 */
public final class DirectoryListingPage {

    /**
     * Directories first, then files; each group by name ignoring case with
     * {@link String#CASE_INSENSITIVE_ORDER} (which never consults the locale), ties broken by
     * the exact name, so the order never depends on the order the file system returned.
     */
    static final Comparator<DirectoryEntry> LISTING_ORDER = (a, b) -> {
        if (a.directory() != b.directory()) {
            return a.directory() ? -1 : 1;
        }
        int ignoringCase = String.CASE_INSENSITIVE_ORDER.compare(a.name(), b.name());
        return ignoringCase != 0 ? ignoringCase : a.name().compareTo(b.name());
    };

    private static final String STYLE = ":root{color-scheme:light dark}"
            + "body{font-family:system-ui,sans-serif;margin:1.5em 2em}"
            + "h1{font-size:1.3em;font-weight:600;overflow-wrap:anywhere}"
            + "table{border-collapse:collapse}"
            + "th{text-align:left;border-bottom:1px solid;font-weight:600}"
            + "th,td{padding:.15em 1.5em .15em 0;white-space:nowrap}"
            + "td.n{white-space:normal;overflow-wrap:anywhere}"
            + ".s{text-align:right}"
            + "td.s,td.m{font-variant-numeric:tabular-nums}"
            + "a{text-decoration:none}a:hover{text-decoration:underline}"
            + "nav{margin:.5em 0}";

    /** Characters of markup around one row besides name, href, size and date; an estimate. */
    private static final int ROW_OVERHEAD = 180;

    private DirectoryListingPage() {
    }

    /**
     * The complete page of all entries, UTF-8 encoded, however many there are (the server pages large
     * directories with {@link #renderPage}).
     *
     * @param decodedDirectoryPath the directory's URL path, percent-decoded, e.g. "/docs/";
     *                             shown in the title and heading, with a leading and trailing
     *                             '/' added when missing
     * @param entries              the directory's entries in any order; entries named "", "."
     *                             or ".." are skipped, since their links would not name an
     *                             entry (the parent link comes from {@code includeParentLink})
     * @param includeParentLink    whether to start with a "../" row (false at the root)
     */
    public static byte[] render(
            String decodedDirectoryPath, List<DirectoryEntry> entries, boolean includeParentLink) {
        Objects.requireNonNull(decodedDirectoryPath, "decodedDirectoryPath");
        return renderPage(decodedDirectoryPath, ListingPages.sorted(entries), includeParentLink, 1, 1);
    }

    /**
     * One page of a listing, UTF-8 encoded: its entries, and when there is more than one page, links to the
     * previous and next ones ({@code rel="prev"}, {@code rel="next"}) above and below the table.
     *
     * @param sortedEntries the page's entries, already in listing order ({@link ListingPages#sorted})
     * @param page          this page's number, from 1
     * @param pages         how many pages the listing has
     */
    public static byte[] renderPage(String decodedDirectoryPath, List<DirectoryEntry> sortedEntries,
                                    boolean includeParentLink, int page, int pages) {
        Objects.requireNonNull(decodedDirectoryPath, "decodedDirectoryPath");
        Objects.requireNonNull(sortedEntries, "sortedEntries");
        long nameChars = 0;
        for (DirectoryEntry entry : sortedEntries) {
            nameChars += entry.name().length();
        }

        String title = "Index of " + withSlashes(decodedDirectoryPath);
        // Each name appears twice (href and text), usually slightly grown by escaping.
        long estimate = 1024 + 2L * title.length() + 3 * nameChars + (long) ROW_OVERHEAD * sortedEntries.size();
        StringBuilder out = new StringBuilder((int) Math.min(estimate, Integer.MAX_VALUE - 16));

        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>");
        Html.appendEscaped(out, title);
        out.append("</title>\n<style>").append(STYLE).append("</style>\n</head>\n<body>\n<h1>");
        Html.appendEscaped(out, title);
        out.append("</h1>\n");
        String navigation = pages > 1 ? navigation(page, pages) : "";
        out.append(navigation);
        out.append("<table>\n<thead><tr><th>Name</th><th class=\"s\">Size</th>")
                .append("<th>Last modified</th></tr></thead>\n<tbody>\n");
        if (includeParentLink) {
            out.append("<tr class=\"d\"><td class=\"n\"><a href=\"../\">../</a></td>")
                    .append("<td class=\"s\">-</td><td class=\"m\">-</td></tr>\n");
        }
        for (DirectoryEntry entry : sortedEntries) {
            appendRow(out, entry);
        }
        out.append("</tbody>\n</table>\n").append(navigation).append("</body>\n</html>\n");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** "previous · page K of N · next", each link only where that page exists. */
    private static String navigation(int page, int pages) {
        StringBuilder nav = new StringBuilder(128).append("<nav>");
        if (page > 1) {
            nav.append("<a rel=\"prev\" href=\"").append(ListingPages.href(page - 1)).append("\">previous</a> \u00B7 ");
        }
        nav.append("page ").append(page).append(" of ").append(pages);
        if (page < pages) {
            nav.append(" \u00B7 <a rel=\"next\" href=\"").append(ListingPages.href(page + 1)).append("\">next</a>");
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
        out.append("<td class=\"m\">");
        UtcTimestamp.appendTo(out, entry.lastModifiedMillis());
        out.append("</td></tr>\n");
    }

    private static String withSlashes(String path) {
        String p = path.startsWith("/") ? path : "/" + path;
        return p.endsWith("/") ? p : p + "/";
    }
}
