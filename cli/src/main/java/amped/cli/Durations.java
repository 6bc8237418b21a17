package amped.cli;

import java.time.Duration;
import java.util.Locale;

/** Human durations for options: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}; a bare number is seconds. */
final class Durations {

    private Durations() {
    }

    static Duration parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        String digits;
        Duration unit;
        if (s.endsWith("ms")) {
            digits = s.substring(0, s.length() - 2);
            unit = Duration.ofMillis(1);
        } else if (s.endsWith("s")) {
            digits = s.substring(0, s.length() - 1);
            unit = Duration.ofSeconds(1);
        } else if (s.endsWith("m")) {
            digits = s.substring(0, s.length() - 1);
            unit = Duration.ofMinutes(1);
        } else if (s.endsWith("h")) {
            digits = s.substring(0, s.length() - 1);
            unit = Duration.ofHours(1);
        } else {
            digits = s;
            unit = Duration.ofSeconds(1);
        }
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit) || digits.length() > 9) {
            throw new IllegalArgumentException("invalid duration '" + text + "' (examples: 500ms, 10s, 2m, 1h)");
        }
        return unit.multipliedBy(Long.parseLong(digits));
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
