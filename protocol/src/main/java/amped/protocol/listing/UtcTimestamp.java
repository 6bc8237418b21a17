package amped.protocol.listing;

import java.time.LocalDate;

/** Formats epoch milliseconds as UTC "yyyy-MM-dd HH:mm:ss", without java.text or a formatter. */
public final class UtcTimestamp {

    private static final long MILLIS_PER_SECOND = 1000;
    private static final long SECONDS_PER_DAY = 86_400;

    private UtcTimestamp() {
    }

    /**
     * The UTC date and time of {@code epochMillis}, truncated to the second (floor, so
     * times before 1970 land in the right second too). Years outside 0..9999 are printed
     * in full, with a '-' before years before year 0.
     */
    public static String format(long epochMillis) {
        StringBuilder out = new StringBuilder(19);
        appendTo(out, epochMillis);
        return out.toString();
    }

    /** Appends {@link #format} of {@code epochMillis} to {@code out}. */
    public static void appendTo(StringBuilder out, long epochMillis) {
        long epochSecond = Math.floorDiv(epochMillis, MILLIS_PER_SECOND);
        long epochDay = Math.floorDiv(epochSecond, SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(epochSecond, SECONDS_PER_DAY);
        LocalDate date = LocalDate.ofEpochDay(epochDay);

        int year = date.getYear();
        if (year < 0) {
            out.append('-');
        }
        appendPadded(out, Math.abs(year), 4);
        out.append('-');
        appendPadded(out, date.getMonthValue(), 2);
        out.append('-');
        appendPadded(out, date.getDayOfMonth(), 2);
        out.append(' ');
        appendPadded(out, secondOfDay / 3600, 2);
        out.append(':');
        appendPadded(out, secondOfDay / 60 % 60, 2);
        out.append(':');
        appendPadded(out, secondOfDay % 60, 2);
    }

    /** Appends the same second as RFC 3339 in UTC: "yyyy-MM-ddTHH:mm:ssZ". */
    public static void appendRfc3339(StringBuilder out, long epochMillis) {
        int start = out.length();
        appendTo(out, epochMillis);
        out.setCharAt(out.indexOf(" ", start), 'T');
        out.append('Z');
    }

    private static void appendPadded(StringBuilder out, int value, int width) {
        int digits = 1;
        for (int v = value; v >= 10; v /= 10) {
            digits++;
        }
        for (int i = digits; i < width; i++) {
            out.append('0');
        }
        out.append(value);
    }
}
