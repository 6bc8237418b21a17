package amped.protocol.conditional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EntityTagsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "6699  | 1024 | 1700000000000 |      | 1a2b-400-18bcfe56800",
        "6699  | 1024 | 1700000000000 | gzip | 1a2b-400-18bcfe56800-gzip",
        "6699  | 1024 | 1700000000000 | br   | 1a2b-400-18bcfe56800-br",
        "0     | 0    | 0             |      | 0-0-0",
        "-1    | 15   | -1            |      | ffffffffffffffff-f-ffffffffffffffff",
    })
    void formatsHexFieldsAndVariant(long identity, long size, long time, String variant, String opaque) {
        EntityTag tag = EntityTags.forFile(identity, size, time, variant);
        assertFalse(tag.weak());
        assertEquals(opaque, tag.opaqueTag());
        assertEquals(Optional.of(tag), EntityTag.parse(tag.headerValue()));
    }

    @Test
    void isStableAndChangesWithEveryInput() {
        EntityTag base = EntityTags.forFile(1, 2, 3, null);
        assertEquals(base, EntityTags.forFile(1, 2, 3, null));
        assertNotEquals(base, EntityTags.forFile(9, 2, 3, null));
        assertNotEquals(base, EntityTags.forFile(1, 9, 3, null));
        assertNotEquals(base, EntityTags.forFile(1, 2, 9, null));
        assertNotEquals(base, EntityTags.forFile(1, 2, 3, "gzip"));
        assertNotEquals(EntityTags.forFile(1, 2, 3, "br"), EntityTags.forFile(1, 2, 3, "gzip"));
        // precompressed variants never even weakly match the identity representation
        assertFalse(base.weakMatches(EntityTags.forFile(1, 2, 3, "br")));
    }

    @Test
    void rejectsVariantsThatCannotBePartOfATag() {
        assertThrows(IllegalArgumentException.class, () -> EntityTags.forFile(1, 2, 3, ""));
        assertThrows(IllegalArgumentException.class, () -> EntityTags.forFile(1, 2, 3, "a\"b"));
        assertThrows(IllegalArgumentException.class, () -> EntityTags.forFile(1, 2, 3, "x y"));
    }
}
