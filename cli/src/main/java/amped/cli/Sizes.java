package amped.cli;

import java.util.Locale;

/** Human sizes for options: {@code 4096}, {@code 256k}, {@code 64m}, {@code 1g} (binary multiples). */
final class Sizes {

    private Sizes() {
    }

    /** What a size option expects, for messages. */
    static final String EXPECTED = "a size such as 4096, 256k, 64m or 1g";

    /** @throws IllegalArgumentException saying why {@code text} is not a size, in a user's words */
    static long parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.isEmpty()) {
            throw new IllegalArgumentException("no value");
        }
        if (s.startsWith("-")) {
            throw new IllegalArgumentException("a size cannot be negative");
        }
        if (s.endsWith("ib")) {
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("b")) {
            s = s.substring(0, s.length() - 1);
        }
        long unit = 1;
        if (!s.isEmpty() && !Character.isDigit(s.charAt(s.length() - 1))) {
            char last = s.charAt(s.length() - 1);
            switch (last) {
                case 'k': unit = 1L << 10; break;
                case 'm': unit = 1L << 20; break;
                case 'g': unit = 1L << 30; break;
                case 't': unit = 1L << 40; break;
                default: unit = 0;
            }
            int digitsEnd = s.length();
            while (digitsEnd > 0 && !Character.isDigit(s.charAt(digitsEnd - 1))) {
                digitsEnd--;
            }
            if (unit == 0 || digitsEnd != s.length() - 1) {
                throw new IllegalArgumentException(digitsEnd == 0 ? "not a number"
                        : "'" + s.substring(digitsEnd) + "' is not a unit (k, m, g or t)");
            }
            s = s.substring(0, s.length() - 1);
        }
        if (s.isEmpty() || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("not a number");
        }
        if (s.length() > 15 || Long.parseLong(s) > Long.MAX_VALUE / unit) {
            throw new IllegalArgumentException("too large");
        }
        return Long.parseLong(s) * unit;
    }

    static String format(long bytes) {
        if (bytes % (1L << 30) == 0 && bytes != 0) {
            return (bytes >> 30) + "g";
        }
        if (bytes % (1L << 20) == 0 && bytes != 0) {
            return (bytes >> 20) + "m";
        }
        if (bytes % (1L << 10) == 0 && bytes != 0) {
            return (bytes >> 10) + "k";
        }
        return Long.toString(bytes);
    }
}
