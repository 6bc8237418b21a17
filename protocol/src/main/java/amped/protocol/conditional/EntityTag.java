package amped.protocol.conditional;

import java.util.Objects;
import java.util.Optional;

/**
 * An entity-tag (RFC 9110 §8.8.3): {@code entity-tag = [ weak ] opaque-tag}.
 *
 * @param weak      whether the tag carries the {@code W/} prefix (a weak validator)
 * @param opaqueTag the characters between the double quotes, each {@code %x21 / %x23-7E / obs-text}; may be empty
 */
public record EntityTag(boolean weak, String opaqueTag) {

    private static final String WEAK_PREFIX = "W/";

    public EntityTag {
        Objects.requireNonNull(opaqueTag, "opaqueTag");
        for (int i = 0; i < opaqueTag.length(); i++) {
            if (!isEtagc(opaqueTag.charAt(i))) {
                throw new IllegalArgumentException("invalid entity-tag character in " + opaqueTag);
            }
        }
    }

    public static EntityTag strong(String opaque) {
        return new EntityTag(false, opaque);
    }

    /** The tag as it appears in an ETag field: {@code "xyz"} or {@code W/"xyz"}. */
    public String headerValue() {
        return (weak ? WEAK_PREFIX : "") + '"' + opaqueTag + '"';
    }

    /** §8.8.3.2 strong comparison: both strong and character-by-character equal. */
    public boolean strongMatches(EntityTag other) {
        return other != null && !weak && !other.weak && opaqueTag.equals(other.opaqueTag);
    }

    /** §8.8.3.2 weak comparison: opaque tags equal, whether or not either is weak. */
    public boolean weakMatches(EntityTag other) {
        return other != null && opaqueTag.equals(other.opaqueTag);
    }

    /**
     * Parses exactly one entity-tag, with nothing before or after it. The weak prefix is case-sensitive
     * ({@code %s"W/"}).
     */
    public static Optional<EntityTag> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        int end = scan(value, 0);
        if (end != value.length()) {
            return Optional.empty();
        }
        return Optional.of(create(value, 0, end));
    }

    /**
     * Finds the end of an entity-tag starting at {@code from}.
     *
     * @return the index just after the closing quote, or -1 if no valid entity-tag starts at {@code from}
     */
    static int scan(String s, int from) {
        int i = s.startsWith(WEAK_PREFIX, from) ? from + WEAK_PREFIX.length() : from;
        if (i >= s.length() || s.charAt(i) != '"') {
            return -1;
        }
        for (i++; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (!isEtagc(c)) {
                return -1;
            }
        }
        return -1; // no closing quote
    }

    /** Builds the tag for s[from, end) where {@code end} came from {@link #scan}. */
    static EntityTag create(String s, int from, int end) {
        boolean weak = s.startsWith(WEAK_PREFIX, from);
        int opaqueStart = from + (weak ? WEAK_PREFIX.length() : 0) + 1;
        return new EntityTag(weak, s.substring(opaqueStart, end - 1));
    }

    /** {@code etagc = %x21 / %x23-7E / obs-text}, obs-text being %x80-FF (a header decoded as ISO-8859-1). */
    private static boolean isEtagc(char c) {
        return c == 0x21 || (c >= 0x23 && c <= 0x7E) || (c >= 0x80 && c <= 0xFF);
    }
}
