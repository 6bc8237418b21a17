package amped.protocol.listing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HumanByteSizeTest {

    private static final long MIB = 1024 * 1024;
    private static final List<String> UNITS = List.of("B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB");
    private static final Pattern FORMAT = Pattern.compile("(\\d+(?:\\.\\d)?) (B|KiB|MiB|GiB|TiB|PiB|EiB)");

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource({
            "0, 0 B",
            "1, 1 B",
            "3, 3 B",
            "1000, 1000 B",
            "1023, 1023 B",
            "1024, 1.0 KiB",
            "1075, 1.0 KiB",
            "1076, 1.1 KiB",
            "1536, 1.5 KiB",
            "10188, 9.9 KiB",  // 9.949 KiB
            "10189, 10 KiB",   // 9.950 KiB rounds up to 10, shown without a decimal
            "12582912, 12 MiB",
            "13107200, 13 MiB", // exactly 12.5 MiB: rounds half up
            "1048063, 1023 KiB",
            "1048575, 1.0 MiB", // 1023.999 KiB would be 1024 KiB: moves up a unit
            "1073741824, 1.0 GiB",
            "1099511627776, 1.0 TiB",
            "1125899906842624, 1.0 PiB",
            "1152921504606846976, 1.0 EiB",
            "9223372036854775807, 8.0 EiB",
    })
    void formats(long bytes, String expected) {
        assertEquals(expected, HumanByteSize.format(bytes));
    }

    @Test
    void rejectsNegativeSizes() {
        assertThrows(IllegalArgumentException.class, () -> HumanByteSize.format(-1));
    }

    @Test
    void appendToAppends() {
        StringBuilder out = new StringBuilder("size=");
        HumanByteSize.appendTo(out, 12 * MIB);
        assertEquals("size=12 MiB", out.toString());
    }

    @Property
    void isWithinRoundingOfTheExactValue(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long bytes) {
        String formatted = HumanByteSize.format(bytes);
        Matcher m = FORMAT.matcher(formatted);
        assertTrue(m.matches(), formatted);
        double shown = Double.parseDouble(m.group(1)) * Math.pow(1024, UNITS.indexOf(m.group(2)));
        // one decimal below 10, none from 10 to 1023: at most 5% off, plus half a unit in bytes
        assertTrue(Math.abs(shown - bytes) <= bytes * 0.05 + 0.5, formatted + " for " + bytes);
        if (!m.group(2).equals("B")) {
            assertTrue(Double.parseDouble(m.group(1)) < 1024, formatted);
        }
    }
}
