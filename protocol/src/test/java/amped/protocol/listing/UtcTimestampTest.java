package amped.protocol.listing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UtcTimestampTest {

    /** The reference the hand-written formatter must agree with, years 0000 to 9999. */
    private static final DateTimeFormatter REFERENCE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource({
            "0, 1970-01-01 00:00:00",
            "999, 1970-01-01 00:00:00",
            "1000, 1970-01-01 00:00:01",
            "-1, 1969-12-31 23:59:59",        // floor, not truncation towards zero
            "-1000, 1969-12-31 23:59:59",
            "-1001, 1969-12-31 23:59:58",
            "951782400000, 2000-02-29 00:00:00",
            "1700000000000, 2023-11-14 22:13:20",
            "1704067199999, 2023-12-31 23:59:59",
            "4102444800000, 2100-01-01 00:00:00",
            "-62167219200000, 0000-01-01 00:00:00",
            "-62198755200000, -0001-01-01 00:00:00",
            "253402300799999, 9999-12-31 23:59:59",
            "253402300800000, 10000-01-01 00:00:00",
    })
    void formats(long epochMillis, String expected) {
        assertEquals(expected, UtcTimestamp.format(epochMillis));
    }

    @Test
    void handlesTheExtremesOfLong() {
        assertEquals("292278994-08-17 07:12:55", UtcTimestamp.format(Long.MAX_VALUE));
        assertEquals("-292275055-05-16 16:47:04", UtcTimestamp.format(Long.MIN_VALUE));
    }

    @Property
    void agreesWithDateTimeFormatter(
            @ForAll @LongRange(min = -62167219200000L, max = 253402300799999L) long epochMillis) {
        assertEquals(REFERENCE.format(Instant.ofEpochMilli(epochMillis)), UtcTimestamp.format(epochMillis));
    }
}
