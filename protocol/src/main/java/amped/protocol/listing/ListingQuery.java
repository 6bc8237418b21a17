package amped.protocol.listing;

import amped.protocol.syntax.CommaList;
import amped.protocol.syntax.Weighted;
import java.util.Locale;

/**
 * What a request of a directory asks of its listing: which page, in which order, as HTML or JSON, or the
 * folder as a zip archive. Read from the query ({@code page}, {@code sort=name|size|time},
 * {@code order=asc|desc}, {@code format=json}, {@code download=zip}) and the Accept field. Unknown
 * parameters and values are ignored, as for files; only a page that is not a number is an error. Pure.
 *
 * @param page       the page, from 1; 0 when {@code page} is not a page number (no page answers it)
 * @param sort       the order's key
 * @param descending whether the key goes from largest (or newest, or last) to smallest
 * @param json       whether the answer is JSON rather than HTML
 * @param zip        whether the folder is asked for as a zip archive
 */
public record ListingQuery(int page, SortKey sort, boolean descending, boolean json, boolean zip) {

    /** What a listing may be sorted by; directories always come first. */
    public enum SortKey {
        NAME, SIZE, TIME;

        /** As in the query. */
        public String token() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Page 1, by name ascending, HTML: what a plain request gets. */
    public static final ListingQuery DEFAULT = new ListingQuery(1, SortKey.NAME, false, false, false);

    /** A page number no directory reaches: longer numbers are refused without arithmetic overflow. */
    private static final int MAX_DIGITS = 9;

    /**
     * The query of a request.
     *
     * @param rawQuery the request-target's query, not decoded, or null
     * @param accept   the request's Accept field (its lines joined with commas), or null
     */
    public static ListingQuery of(String rawQuery, String accept) {
        int page = 1;
        boolean pageSeen = false;
        SortKey sort = SortKey.NAME;
        boolean descending = false;
        Boolean json = null;
        boolean zip = false;
        if (rawQuery != null) {
            for (String parameter : rawQuery.split("&", -1)) {
                int eq = parameter.indexOf('=');
                String name = eq < 0 ? parameter : parameter.substring(0, eq);
                String value = eq < 0 ? "" : parameter.substring(eq + 1);
                switch (name) {
                    case "page" -> {
                        if (!pageSeen) {
                            pageSeen = true;
                            page = pageNumber(value);
                        }
                    }
                    case "sort" -> sort = switch (value) {
                        case "size" -> SortKey.SIZE;
                        case "time" -> SortKey.TIME;
                        case "name" -> SortKey.NAME;
                        default -> sort;
                    };
                    case "order" -> descending = value.equals("desc") || !value.equals("asc") && descending;
                    case "format" -> json = value.equals("json") ? Boolean.TRUE
                            : value.equals("html") ? Boolean.FALSE : json;
                    case "download" -> zip |= value.equals("zip");
                    default -> {
                        // other parameters are not ours (a cache buster, a token)
                    }
                }
            }
        }
        return new ListingQuery(page, sort, descending, json != null ? json : prefersJson(accept), zip);
    }

    /** The page a value names, or 0 when it is not decimal digits, zero, or absurdly long. */
    private static int pageNumber(String value) {
        if (value.isEmpty() || value.length() > MAX_DIGITS) {
            return 0;
        }
        int page = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return 0;
            }
            page = page * 10 + (c - '0');
        }
        return page;
    }

    /**
     * Whether Accept weighs {@code application/json} above HTML (RFC 9110 §12.5.1, each by its most specific
     * range): a script's {@code Accept: application/json} gets JSON, a browser's {@code text/html,…,*}{@code /*}
     * gets HTML, and no Accept at all gets HTML.
     */
    static boolean prefersJson(String accept) {
        if (accept == null) {
            return false;
        }
        int[] json = {-1, -1, -1};
        int[] html = {-1, -1, -1};
        for (String element : CommaList.elements(accept)) {
            int semicolon = element.indexOf(';');
            String range = (semicolon < 0 ? element : element.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
            int q = semicolon < 0 ? Weighted.Q_ONE : qOf(element.substring(semicolon + 1));
            if (q < 0) {
                continue;
            }
            switch (range) {
                case "application/json" -> json[0] = Math.max(json[0], q);
                case "application/*" -> json[1] = Math.max(json[1], q);
                case "text/html" -> html[0] = Math.max(html[0], q);
                case "text/*" -> html[1] = Math.max(html[1], q);
                case "*/*" -> {
                    json[2] = Math.max(json[2], q);
                    html[2] = Math.max(html[2], q);
                }
                default -> {
                    // a type neither of the two
                }
            }
        }
        int jsonAt = mostSpecific(json);
        int htmlAt = mostSpecific(html);
        int jsonQ = jsonAt < 0 ? 0 : json[jsonAt];
        int htmlQ = htmlAt < 0 ? 0 : html[htmlAt];
        // a tie goes to the type named more exactly ("application/json, */*" is a script's way of asking)
        return jsonQ > 0 && (jsonQ > htmlQ || jsonQ == htmlQ && (htmlAt < 0 || jsonAt < htmlAt));
    }

    /** Which range matched most specifically (0 exact, 1 type/*, 2 *}{@code /*}), or -1 for none. */
    private static int mostSpecific(int[] qs) {
        for (int i = 0; i < qs.length; i++) {
            if (qs[i] >= 0) {
                return i;
            }
        }
        return -1;
    }

    /** The q parameter among a range's parameters; 1000 without one, -1 when it is malformed. */
    private static int qOf(String parameters) {
        for (String p : parameters.split(";")) {
            String s = p.strip();
            if (s.length() > 2 && (s.charAt(0) == 'q' || s.charAt(0) == 'Q') && s.charAt(1) == '=') {
                return Weighted.qvalue(s.substring(2));
            }
        }
        return Weighted.Q_ONE;
    }

    /** The same listing at page {@code other}: as a relative link that keeps the order (and the format). */
    public String hrefToPage(int other) {
        return href(other, sort, descending);
    }

    /**
     * The link of a column head: sorted by {@code key}, ascending, or the other way round when the listing is
     * sorted by it already (and at page 1, since the pages change).
     */
    public String hrefToSort(SortKey key) {
        boolean desc = key == sort ? !descending : key != SortKey.NAME;
        return href(1, key, desc);
    }

    private String href(int toPage, SortKey key, boolean desc) {
        StringBuilder q = new StringBuilder(32);
        if (key != SortKey.NAME || desc) {
            q.append("sort=").append(key.token()).append("&order=").append(desc ? "desc" : "asc");
        }
        if (json) {
            q.append(q.isEmpty() ? "" : "&").append("format=json");
        }
        if (toPage != 1) {
            q.append(q.isEmpty() ? "" : "&").append("page=").append(toPage);
        }
        return q.isEmpty() ? "./" : "?" + q;
    }

    /** The same order on page 1, as HTML (what the cache of rendered pages is keyed by, with the page). */
    public ListingQuery view() {
        return new ListingQuery(1, sort, descending, json, false);
    }
}
