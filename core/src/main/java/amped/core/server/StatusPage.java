package amped.core.server;

import amped.protocol.listing.Html;
import amped.protocol.listing.HumanByteSize;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The live status page: totals, a throughput sparkline of the last minutes (inline SVG) and the transfers
 * in progress with a progress bar each. It reloads itself every two seconds; no scripts, fonts or styles
 * from elsewhere. Pure.
 */
final class StatusPage {

    /** Transfers listed at most; the page says how many more there are. */
    static final int MAX_TRANSFERS = 100;

    private StatusPage() {
    }

    /** @param showClients whether the transfers show client addresses (on the status listener only) */
    static byte[] render(ServerStats s, String version, String root, String statusPath, long uptimeMillis,
                         boolean showClients) {
        StringBuilder out = new StringBuilder(16_384);
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"refresh\" content=\"2\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>amped status</title>\n<style>")
                .append(":root{color-scheme:light dark}body{font-family:system-ui,sans-serif;margin:1.5em 2em}")
                .append("h1{font-size:1.3em;margin:0 0 .2em}h2{font-size:1.05em;margin:1.4em 0 .4em}")
                .append(".sub{opacity:.7}table{border-collapse:collapse}td,th{padding:.15em 1.2em .15em 0;text-align:left;")
                .append("white-space:nowrap}th{border-bottom:1px solid}.n{text-align:right;font-variant-numeric:tabular-nums}")
                .append(".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(11em,1fr));gap:.6em}")
                .append(".tile{border:1px solid #8884;border-radius:.4em;padding:.5em .7em}.tile b{display:block;font-size:1.3em}")
                .append("progress{width:12em}svg{border:1px solid #8884;border-radius:.4em}")
                .append("td.p{white-space:normal;overflow-wrap:anywhere;max-width:40em}</style>\n</head>\n<body>\n");
        out.append("<h1>amped ").append(Html.escape(version)).append("</h1>\n<div class=\"sub\">serving ")
                .append(Html.escape(root)).append(" · ").append(s.dispatchers()).append(" dispatcher")
                .append(s.dispatchers() == 1 ? "" : "s").append(" · up ").append(duration(uptimeMillis))
                .append(" · <a href=\"").append(Html.escape(statusPath)).append("/metrics\">metrics</a></div>\n");

        long[] history = s.bytesPerSecond();
        long recent = 0;
        for (int i = history.length - 6; i < history.length - 1; i++) {
            recent += history[i];
        }
        out.append("<div class=\"grid\" style=\"margin-top:1em\">\n");
        tile(out, "connections open", Long.toString(s.openConnections()));
        tile(out, "sending now", HumanByteSize.format(recent / 5) + "/s");
        tile(out, "requests", Long.toString(s.requests()));
        tile(out, "sent", HumanByteSize.format(s.bytesSent()));
        tile(out, "2xx / 3xx", s.responsesByClass()[2] + " / " + s.responsesByClass()[3]);
        tile(out, "4xx / 5xx", s.responsesByClass()[4] + " / " + s.responsesByClass()[5]);
        tile(out, "aborted / timed out", s.aborted() + " / " + s.timeouts());
        tile(out, "buffers in use", HumanByteSize.format(s.bufferBytesInUse()) + " of " + HumanByteSize.format(s.bufferBudget()));
        tile(out, "open files", Long.toString(s.openFiles()));
        tile(out, "disk reads in flight", Long.toString(s.diskReadsInFlight()));
        long lookups = s.cacheHits() + s.cacheMisses();
        tile(out, "file cache hits", (lookups == 0 ? 0 : s.cacheHits() * 100 / lookups) + "% · "
                + HumanByteSize.format(s.cacheBytes()));
        out.append("</div>\n");

        out.append("<h2>Throughput, last ").append(history.length / 60).append(" minutes</h2>\n");
        sparkline(out, history);

        List<ServerStats.Transfer> transfers = new ArrayList<>(s.transfers());
        transfers.sort(Comparator.comparingLong(ServerStats.Transfer::elapsedMillis).reversed());
        out.append("<h2>Transfers in progress (").append(transfers.size()).append(")</h2>\n");
        if (transfers.isEmpty()) {
            out.append("<p class=\"sub\">none</p>\n");
        } else {
            out.append("<table>\n<thead><tr><th>path</th>").append(showClients ? "<th>client</th>" : "")
                    .append("<th>progress</th><th class=\"n\">sent</th>")
                    .append("<th class=\"n\">rate</th></tr></thead>\n<tbody>\n");
            for (ServerStats.Transfer t : transfers.subList(0, Math.min(MAX_TRANSFERS, transfers.size()))) {
                long max = Math.max(t.total(), 1);
                long value = Math.min(t.bytesSent(), max);
                out.append("<tr><td class=\"p\">").append(Html.escape(t.path()));
                if (t.security() != null) {
                    out.append(" <span class=\"sub\">").append(Html.escape(t.security())).append("</span>");
                }
                out.append("</td>");
                if (showClients) {
                    out.append("<td>").append(Html.escape(t.client())).append("</td>");
                }
                out.append("<td><progress max=\"").append(max)
                        .append("\" value=\"").append(value).append("\"></progress> ")
                        .append(value * 100 / max).append("%</td><td class=\"n\">")
                        .append(HumanByteSize.format(t.bytesSent())).append(" of ").append(HumanByteSize.format(t.total()))
                        .append("</td><td class=\"n\">").append(HumanByteSize.format(t.rate())).append("/s</td></tr>\n");
            }
            out.append("</tbody>\n</table>\n");
            if (transfers.size() > MAX_TRANSFERS) {
                out.append("<p class=\"sub\">and ").append(transfers.size() - MAX_TRANSFERS).append(" more</p>\n");
            }
        }
        out.append("</body>\n</html>\n");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void tile(StringBuilder out, String label, String value) {
        out.append("<div class=\"tile\"><b>").append(Html.escape(value)).append("</b>").append(Html.escape(label)).append("</div>\n");
    }

    /** Bytes per second as an SVG polyline scaled to the busiest second shown. */
    private static void sparkline(StringBuilder out, long[] history) {
        int width = 600;
        int height = 80;
        long max = 1;
        for (long v : history) {
            max = Math.max(max, v);
        }
        out.append("<svg width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" role=\"img\" aria-label=\"bytes sent per second\"><polyline fill=\"none\" stroke=\"currentColor\"")
                .append(" stroke-width=\"1.5\" points=\"");
        for (int i = 0; i < history.length; i++) {
            long x = (long) i * (width - 1) / (history.length - 1);
            long y = height - 2 - history[i] * (height - 4) / max;
            out.append(x).append(',').append(y).append(' ');
        }
        out.append("\"/></svg>\n<div class=\"sub\">peak ").append(HumanByteSize.format(max)).append("/s</div>\n");
    }

    private static String duration(long millis) {
        long s = millis / 1000;
        if (s < 120) {
            return s + " s";
        }
        if (s < 7200) {
            return s / 60 + " min";
        }
        return s / 3600 + " h " + (s % 3600) / 60 + " min";
    }
}
