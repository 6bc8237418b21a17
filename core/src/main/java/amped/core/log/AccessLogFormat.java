package amped.core.log;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The two access-log line formats, as pure functions of one {@link AccessRecord}:
 * <ul>
 * <li>{@code combined}: the nginx/Apache Combined Log Format with the request time in milliseconds
 *     appended; request line, referer and user agent escaped as nginx does ({@code "}, {@code \} and
 *     bytes outside printable ASCII become {@code \xHH}), so a line can never be split or forged;</li>
 * <li>{@code json}: one JSON object per line (RFC 8259 escaping).</li>
 * </ul>
 */
public enum AccessLogFormat {
    COMBINED {
        @Override
        public void append(AccessRecord r, StringBuilder out) {
            out.append(r.remoteAddress()).append(" - - [");
            CLF_TIME.formatTo(Instant.ofEpochMilli(r.startMillis()).atZone(zone), out);
            out.append("] \"");
            if (r.method() == null) {
                out.append('-');
            } else {
                escapeClf(r.method(), out);
                out.append(' ');
                escapeClf(r.target(), out);
                out.append(' ');
                escapeClf(r.protocol(), out);
            }
            out.append("\" ").append(r.status()).append(' ');
            if (r.bodyBytes() > 0) {
                out.append(r.bodyBytes());
            } else {
                out.append('-');
            }
            out.append(" \"");
            escapeClf(r.referer() == null ? "-" : r.referer(), out);
            out.append("\" \"");
            escapeClf(r.userAgent() == null ? "-" : r.userAgent(), out);
            out.append("\" ").append(r.durationMillis());
            out.append('\n');
        }
    },
    JSON {
        @Override
        public void append(AccessRecord r, StringBuilder out) {
            out.append("{\"time\":\"").append(Instant.ofEpochMilli(r.startMillis())).append('"');
            out.append(",\"remote\":");
            jsonString(r.remoteAddress(), out);
            out.append(",\"method\":");
            jsonString(r.method(), out);
            out.append(",\"target\":");
            jsonString(r.target(), out);
            out.append(",\"protocol\":");
            jsonString(r.protocol(), out);
            out.append(",\"status\":").append(r.status());
            out.append(",\"bytes\":").append(r.bodyBytes());
            out.append(",\"referer\":");
            jsonString(r.referer(), out);
            out.append(",\"user_agent\":");
            jsonString(r.userAgent(), out);
            out.append(",\"duration_ms\":").append(r.durationMillis());
            out.append(",\"aborted\":").append(r.aborted());
            out.append("}\n");
        }
    };

    private static final DateTimeFormatter CLF_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private static final ZoneId zone = ZoneId.systemDefault();

    /** Appends the line for {@code r}, with its trailing newline. */
    public abstract void append(AccessRecord r, StringBuilder out);

    public String format(AccessRecord r) {
        StringBuilder out = new StringBuilder(256);
        append(r, out);
        return out.toString();
    }

    public static AccessLogFormat parse(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "combined": return COMBINED;
            case "json": return JSON;
            default: throw new IllegalArgumentException("unknown log format '" + name + "' (combined or json)");
        }
    }

    static void escapeClf(String s, StringBuilder out) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20 || c >= 0x7F) {
                if (c > 0xFF) {
                    // field values are bytes read as Latin-1; anything wider is escaped as UTF-8 bytes
                    for (byte b : String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                        out.append("\\x").append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
                    }
                } else {
                    out.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                }
            } else {
                out.append(c);
            }
        }
    }

    static void jsonString(String s, StringBuilder out) {
        if (s == null) {
            out.append("null");
            return;
        }
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || Character.isSurrogate(c)) {
                        // controls, and lone surrogates that have no UTF-8 form
                        out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xF])
                                .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }
}
