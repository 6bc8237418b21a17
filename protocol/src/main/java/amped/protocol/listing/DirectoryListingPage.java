package amped.protocol.listing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
            + "a{text-decoration:none}a:hover{text-decoration:underline}";

    /** Characters of markup around one row besides name, href, size and date; an estimate. */
    private static final int ROW_OVERHEAD = 180;

    private DirectoryListingPage() {
    }

    /**
     * The complete page, UTF-8 encoded.
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
        Objects.requireNonNull(entries, "entries");

        List<DirectoryEntry> sorted = new ArrayList<>(entries.size());
        long nameChars = 0;
        for (DirectoryEntry entry : entries) {
            String name = entry.name();
            if (!name.isEmpty() && !name.equals(".") && !name.equals("..")) {
                sorted.add(entry);
                nameChars += name.length();
            }
        }
        sorted.sort(LISTING_ORDER);

        String title = "Index of " + withSlashes(decodedDirectoryPath);
        // Each name appears twice (href and text), usually slightly grown by escaping.
        long estimate = 1024 + 2L * title.length() + 3 * nameChars + (long) ROW_OVERHEAD * sorted.size();
        StringBuilder out = new StringBuilder((int) Math.min(estimate, Integer.MAX_VALUE - 16));

        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>");
        Html.appendEscaped(out, title);
        out.append("</title>\n<style>").append(STYLE).append("</style>\n</head>\n<body>\n<h1>");
        Html.appendEscaped(out, title);
        out.append("</h1>\n<table>\n<thead><tr><th>Name</th><th class=\"s\">Size</th>")
                .append("<th>Last modified</th></tr></thead>\n<tbody>\n");
        if (includeParentLink) {
            out.append("<tr class=\"d\"><td class=\"n\"><a href=\"../\">../</a></td>")
                    .append("<td class=\"s\">-</td><td class=\"m\">-</td></tr>\n");
        }
        for (DirectoryEntry entry : sorted) {
            appendRow(out, entry);
        }
        out.append("</tbody>\n</table>\n</body>\n</html>\n");
        return out.toString().getBytes(StandardCharsets.UTF_8);
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
