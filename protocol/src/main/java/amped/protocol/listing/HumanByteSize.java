package amped.protocol.listing;

/**
 * Formats byte counts for people, in binary units: "3 B", "1.5 KiB", "12 MiB".
 *
 * <p>Below 10 of a unit one decimal is shown (so "1.0 KiB" and "9.9 KiB" line up), from 10 on
 * none; values round half up, and a value that rounds to 1024 moves to the next unit.
 */
public final class HumanByteSize {

    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private HumanByteSize() {
    }

    /** @throws IllegalArgumentException when {@code bytes} is negative */
    public static String format(long bytes) {
        StringBuilder out = new StringBuilder(10);
        appendTo(out, bytes);
        return out.toString();
    }

    /** Appends {@link #format} of {@code bytes} to {@code out}. */
    public static void appendTo(StringBuilder out, long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative size: " + bytes);
        }
        if (bytes < 1024) {
            out.append(bytes).append(" B");
            return;
        }
        // Dividing by 1024 is exact in binary floating point; only the final rounding is lossy,
        // and a long has at most 63 bits, so the value keeps more precision than one decimal needs.
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        long tenths = Math.round(value * 10);
        if (tenths < 100) {
            out.append(tenths / 10).append('.').append(tenths % 10);
        } else {
            long whole = Math.round(value);
            if (whole >= 1024 && unit < UNITS.length - 1) {
                out.append("1.0");
                unit++;
            } else {
                out.append(whole);
            }
        }
        out.append(' ').append(UNITS[unit]);
    }
}
