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

    /** The form: hex(modification time)-hex(size)[-coding], as nginx's "mtime-size" (nginx's in seconds). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1024 | 1700000000000000000 |      | 17979cfe362a0000-400",
        "1024 | 1700000000000000000 | gzip | 17979cfe362a0000-400-gzip",
        "1024 | 1700000000000000000 | br   | 17979cfe362a0000-400-br",
        "1024 | 1700000000123456789 |      | 17979cfe3d85cd15-400",
        "6    | 1700000000          |      | 6553f100-6",
        "0    | 0                   |      | 0-0",
        "15   | -1                  |      | ffffffffffffffff-f",
        "9223372036854775807 | 9223372036854775807 | | 7fffffffffffffff-7fffffffffffffff",
    })
    void formatsTimeSizeAndVariantInHex(long size, long time, String variant, String opaque) {
        EntityTag tag = EntityTags.forFile(size, time, variant);
        assertFalse(tag.weak());
        assertEquals(opaque, tag.opaqueTag());
        assertEquals(Optional.of(tag), EntityTag.parse(tag.headerValue()));
    }

    @Test
    void isStableAndChangesWithEveryInput() {
        EntityTag base = EntityTags.forFile(2, 3, null);
        assertEquals(base, EntityTags.forFile(2, 3, null));
        assertNotEquals(base, EntityTags.forFile(9, 3, null));
        assertNotEquals(base, EntityTags.forFile(2, 9, null));
        assertNotEquals(base, EntityTags.forFile(2, 3, "gzip"));
        assertNotEquals(EntityTags.forFile(2, 3, "br"), EntityTags.forFile(2, 3, "gzip"));
        // precompressed variants never even weakly match the identity representation
        assertFalse(base.weakMatches(EntityTags.forFile(2, 3, "br")));
    }

    @Test
    void aGzipMadeOnTheFlyHasAWeakTagOfItsOwn() {
        EntityTag made = EntityTags.forGzipMadeOnTheFly(1024, 1700000000000000000L);
        assertEquals("W/\"17979cfe362a0000-400-gzip\"", made.headerValue());
        assertEquals(Optional.of(made), EntityTag.parse(made.headerValue()));
        EntityTag identity = EntityTags.forFile(1024, 1700000000000000000L, null);
        assertFalse(made.weakMatches(identity));
        assertFalse(made.strongMatches(EntityTags.forFile(1024, 1700000000000000000L, "gzip")));
    }

    @Test
    void rejectsVariantsThatCannotBePartOfATag() {
        assertThrows(IllegalArgumentException.class, () -> EntityTags.forFile(2, 3, ""));
        assertThrows(IllegalArgumentException.class, () -> EntityTags.forFile(2, 3, "a\"b"));
        assertThrows(IllegalArgumentException.class, () -> EntityTags.forFile(2, 3, "x y"));
    }
}
