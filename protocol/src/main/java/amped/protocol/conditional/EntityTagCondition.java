package amped.protocol.conditional;

import amped.protocol.syntax.Ascii;
import amped.protocol.syntax.Ows;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A parsed If-Match or If-None-Match field value (RFC 9110 §13.1.1, §13.1.2):
 * {@code "*" / #entity-tag}.
 */
public sealed interface EntityTagCondition {

    /** {@code *}: matches any current representation. */
    record Any() implements EntityTagCondition {
        @Override
        public boolean anyStrongMatch(EntityTag current) {
            return true; // the resource always has a current representation when we evaluate this
        }

        @Override
        public boolean anyWeakMatch(EntityTag current) {
            return true;
        }
    }

    /**
     * A list of entity-tags. It may be empty: {@code #entity-tag} allows zero elements (§5.6.1), and an empty list
     * simply matches nothing.
     */
    record Tags(List<EntityTag> tags) implements EntityTagCondition {
        public Tags {
            tags = List.copyOf(tags);
        }

        @Override
        public boolean anyStrongMatch(EntityTag current) {
            return tags.stream().anyMatch(tag -> tag.strongMatches(current));
        }

        @Override
        public boolean anyWeakMatch(EntityTag current) {
            return tags.stream().anyMatch(tag -> tag.weakMatches(current));
        }
    }

    /** If-Match semantics (§13.1.1): some member strong-matches {@code current} (null: resource has no tag). */
    boolean anyStrongMatch(EntityTag current);

    /** If-None-Match semantics (§13.1.2): some member weak-matches {@code current} (null: resource has no tag). */
    boolean anyWeakMatch(EntityTag current);

    /**
     * Parses the field value. List members are separated by commas with optional whitespace; empty members are
     * tolerated (§5.6.1.2). Commas inside a quoted opaque-tag belong to the tag. A single invalid member makes the
     * whole field invalid, as does "*" combined with anything else.
     *
     * @return the condition, or empty if the value is null or invalid
     */
    static Optional<EntityTagCondition> parse(String headerValue) {
        if (headerValue == null) {
            return Optional.empty();
        }
        String value = Ows.trim(headerValue);
        if (value.equals("*")) {
            return Optional.of(new Any());
        }
        List<EntityTag> tags = new ArrayList<>();
        int pos = 0;
        while (pos < value.length()) {
            char c = value.charAt(pos);
            if (c == ',' || Ascii.isWhitespace(c)) {
                pos++; // separators and empty elements
                continue;
            }
            int tagEnd = EntityTag.scan(value, pos);
            if (tagEnd < 0) {
                return Optional.empty();
            }
            tags.add(EntityTag.create(value, pos, tagEnd));
            pos = Ows.skip(value, tagEnd);
            if (pos < value.length() && value.charAt(pos) != ',') {
                return Optional.empty(); // two members without a comma, or trailing garbage
            }
        }
        return Optional.of(new Tags(tags));
    }

}
