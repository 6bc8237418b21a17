package amped.cli;

import java.time.Duration;
import java.util.Locale;

/** Human durations for options: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}; a bare number is seconds. */
final class Durations {

    private Durations() {
    }

    /** What a duration option expects, for messages. */
    static final String EXPECTED = "a duration such as 500ms, 10s, 2m or 1h (a bare number is seconds)";

    /** @throws IllegalArgumentException saying why {@code text} is not a duration, in a user's words */
    static Duration parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.isEmpty()) {
            throw new IllegalArgumentException("no value");
        }
        if (s.startsWith("-")) {
            throw new IllegalArgumentException("a duration cannot be negative");
        }
        int digitsEnd = 0;
        while (digitsEnd < s.length() && s.charAt(digitsEnd) >= '0' && s.charAt(digitsEnd) <= '9') {
            digitsEnd++;
        }
        if (digitsEnd == 0) {
            throw new IllegalArgumentException("not a number");
        }
        Duration unit;
        switch (s.substring(digitsEnd)) {
            case "ms": unit = Duration.ofMillis(1); break;
            case "s": case "": unit = Duration.ofSeconds(1); break;
            case "m": unit = Duration.ofMinutes(1); break;
            case "h": unit = Duration.ofHours(1); break;
            default: throw new IllegalArgumentException("'" + s.substring(digitsEnd) + "' is not a unit (ms, s, m or h)");
        }
        if (digitsEnd > 9) {
            throw new IllegalArgumentException("too long");
        }
        return unit.multipliedBy(Long.parseLong(s.substring(0, digitsEnd)));
    }

    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms != 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms != 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
