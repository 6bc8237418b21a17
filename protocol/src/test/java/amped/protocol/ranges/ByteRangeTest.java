package amped.protocol.ranges;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ByteRangeTest {

    @ParameterizedTest
    @CsvSource({
        "0,   0,   1000, 1,   bytes 0-0/1000",
        "0,   99,  1000, 100, bytes 0-99/1000",
        "500, 999, 1000, 500, bytes 500-999/1000",
        "9223372036854775805, 9223372036854775806, 9223372036854775807, 2, "
                + "bytes 9223372036854775805-9223372036854775806/9223372036854775807",
    })
    void lengthAndContentRange(long first, long last, long complete, long length, String contentRange) {
        ByteRange range = new ByteRange(first, last);
        assertEquals(length, range.length());
        assertEquals(contentRange, range.contentRange(complete));
    }

    @ParameterizedTest
    @CsvSource({"-1, 5", "5, 4", "-2, -1", "0, -1"})
    void rejectsInvalidRanges(long first, long last) {
        assertThrows(IllegalArgumentException.class, () -> new ByteRange(first, last));
    }

    @ParameterizedTest
    @CsvSource({"0, 99, 99", "0, 0, 0", "10, 20, 15"})
    void contentRangeRejectsRangesBeyondTheRepresentation(long first, long last, long complete) {
        ByteRange range = new ByteRange(first, last);
        assertThrows(IllegalArgumentException.class, () -> range.contentRange(complete));
    }

    @Test
    void unsatisfiedContentRange() {
        assertEquals("bytes */1000", ByteRange.unsatisfiedContentRange(1000));
        assertEquals("bytes */0", ByteRange.unsatisfiedContentRange(0));
        assertThrows(IllegalArgumentException.class, () -> ByteRange.unsatisfiedContentRange(-1));
    }
}
