package amped.cli;

import java.util.Locale;

/** Human sizes for options: {@code 4096}, {@code 256k}, {@code 64m}, {@code 1g} (binary multiples). */
final class Sizes {

    private Sizes() {
    }

    static long parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.endsWith("ib")) {
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("b") && s.length() > 1 && !Character.isDigit(s.charAt(s.length() - 2))) {
            s = s.substring(0, s.length() - 1);
        } else if (s.endsWith("b")) {
            s = s.substring(0, s.length() - 1);
        }
        long unit = 1;
        if (!s.isEmpty()) {
            char last = s.charAt(s.length() - 1);
            switch (last) {
                case 'k': unit = 1L << 10; break;
                case 'm': unit = 1L << 20; break;
                case 'g': unit = 1L << 30; break;
                case 't': unit = 1L << 40; break;
                default: unit = 0;
            }
            if (unit != 0) {
                s = s.substring(0, s.length() - 1);
            } else {
                unit = 1;
            }
        }
        if (s.isEmpty() || !s.chars().allMatch(Character::isDigit) || s.length() > 15) {
            throw new IllegalArgumentException("invalid size '" + text + "' (examples: 4096, 256k, 64m, 1g)");
        }
        long n = Long.parseLong(s);
        if (n > Long.MAX_VALUE / unit) {
            throw new IllegalArgumentException("size '" + text + "' is too large");
        }
        return n * unit;
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
