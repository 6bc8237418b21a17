package amped.protocol.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HttpDateTest {

    /** Independent oracle built on java.time (the production code does its own calendar arithmetic). */
    private static final DateTimeFormatter IMF = DateTimeFormatter
            .ofPattern("EEE, dd MMM uuuu HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter RFC850 = DateTimeFormatter
            .ofPattern("EEEE, dd-MMM-uu HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ASCTIME = DateTimeFormatter
            .ofPattern("EEE MMM ppd HH:mm:ss uuuu", Locale.US).withZone(ZoneOffset.UTC);

    private static final long MIN_MILLIS = LocalDate.of(0, 1, 1).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
    private static final long MAX_MILLIS =
            LocalDate.of(10000, 1, 1).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli() - 1;

    @ParameterizedTest
    @CsvSource({
        "0,               'Thu, 01 Jan 1970 00:00:00 GMT'",
        "999,             'Thu, 01 Jan 1970 00:00:00 GMT'",
        "-1,              'Wed, 31 Dec 1969 23:59:59 GMT'",
        "-1000,           'Wed, 31 Dec 1969 23:59:59 GMT'",
        "-1001,           'Wed, 31 Dec 1969 23:59:58 GMT'",
        "784111777000,    'Sun, 06 Nov 1994 08:49:37 GMT'",
        "784111777999,    'Sun, 06 Nov 1994 08:49:37 GMT'",
        "951782400000,    'Tue, 29 Feb 2000 00:00:00 GMT'",
        "1709208000000,   'Thu, 29 Feb 2024 12:00:00 GMT'",
        "-2203891200000,  'Thu, 01 Mar 1900 00:00:00 GMT'",
        "946684799000,    'Fri, 31 Dec 1999 23:59:59 GMT'",
        "253402300799999, 'Fri, 31 Dec 9999 23:59:59 GMT'",
        "-62135596800000, 'Mon, 01 Jan 0001 00:00:00 GMT'",
        "-62167219200000, 'Sat, 01 Jan 0000 00:00:00 GMT'",
    })
    void formatsImfFixdate(long millis, String expected) {
        assertEquals(expected, HttpDate.format(millis));
    }

    @ParameterizedTest
    @ValueSource(longs = {253402300800000L, -62167219200001L, Long.MAX_VALUE, Long.MIN_VALUE})
    void formatRejectsYearsWithoutFourDigits(long millis) {
        assertThrows(IllegalArgumentException.class, () -> HttpDate.format(millis));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // the three forms of the RFC 9110 §5.6.7 example
        "Sun, 06 Nov 1994 08:49:37 GMT  | 784111777000",
        "Sunday, 06-Nov-94 08:49:37 GMT | 784111777000",
        "Sun Nov  6 08:49:37 1994       | 784111777000",
        "Sun Nov 06 08:49:37 1994       | 784111777000",
        "Thu, 01 Jan 1970 00:00:00 GMT  | 0",
        "Wed, 31 Dec 1969 23:59:59 GMT  | -1000",
        "Tue, 29 Feb 2000 00:00:00 GMT  | 951782400000",
        "Thu, 29 Feb 2024 12:00:00 GMT  | 1709208000000",
        "Thu Feb 29 12:00:00 2024       | 1709208000000",
        "Thursday, 29-Feb-24 12:00:00 GMT | 1709208000000",
        "Fri, 31 Dec 9999 23:59:59 GMT  | 253402300799000",
        "Sat, 01 Jan 0000 00:00:00 GMT  | -62167219200000",
        "Wed Dec 31 23:59:59 1969       | -1000",
        "Wed Jan 17 08:00:00 2024       | 1705478400000",
        // leap second: only 23:59:60, read as 23:59:59
        "Fri, 31 Dec 1999 23:59:60 GMT  | 946684799000",
        // RFC 850 two-digit years, reference now = 2025-01-01: window is (1975, 2075]
        "Friday, 31-Dec-99 23:59:59 GMT | 946684799000",
        "Sunday, 01-Jan-68 00:00:00 GMT | 3092601600000",
        "Saturday, 01-Jan-00 00:00:00 GMT | 946684800000",
    })
    void parsesAllThreeForms(String value, long expected) {
        assertEquals(expected, HttpDate.parse(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "   ",
        "Sun, 06 Nov 1994 08:49:37 GMT ",     // trailing space
        " Sun, 06 Nov 1994 08:49:37 GMT",     // leading space
        "Sun, 06 Nov 1994 08:49:37 UTC",      // zone other than GMT
        "Sun, 06 Nov 1994 08:49:37 gmt",      // case-sensitive literals
        "sun, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06 nov 1994 08:49:37 GMT",
        "Mon, 06 Nov 1994 08:49:37 GMT",      // wrong day name
        "Sun, 6 Nov 1994 08:49:37 GMT",       // day needs two digits in IMF-fixdate
        "Sun, 06 Nov 94 08:49:37 GMT",
        "Sun, 06 Nov 1994 8:49:37 GMT",
        "Sun, 06 Nov 1994 08:49 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT",      // hour out of range
        "Sun, 06 Nov 1994 08:60:00 GMT",      // minute out of range
        "Sun, 06 Nov 1994 08:49:61 GMT",      // second out of range
        "Sun, 06 Nov 1994 08:49:60 GMT",      // leap second only at 23:59
        "Sun, 00 Nov 1994 08:49:37 GMT",      // day zero
        "Fri, 31 Nov 1994 08:49:37 GMT",      // 31 November
        "Sun, 06 Xyz 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 GMTX",
        "Sun, 06 Nov 1994 08:49:37 GM",
        "Sun, 06 Nov 1994 08-49-37 GMT",
        "Sun, 06-Nov-1994 08:49:37 GMT",
        "Sun,  6 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov +994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:3a GMT",
        "Sun, 06 Nov 1994 08:49:37 GMT, Sun, 06 Nov 1994 08:49:37 GMT", // a list of dates
        "Thu, 29 Feb 1900 00:00:00 GMT",      // 1900 is not a leap year
        "Wed, 29 Feb 2023 00:00:00 GMT",
        "Sun, 06 Nov 1994 08:49:37 GMT\u0000",
        "Sun, ０６ Nov 1994 08:49:37 GMT",     // non-ASCII digits
        // RFC 850
        "Sun, 06-Nov-94 08:49:37 GMT",        // short day name
        "Monday, 06-Nov-94 08:49:37 GMT",     // wrong day name
        "sunday, 06-Nov-94 08:49:37 GMT",
        "Sunday, 06-Nov-1994 08:49:37 GMT",
        "Sunday, 06 Nov 94 08:49:37 GMT",
        "Sunday,06-Nov-94 08:49:37 GMT",
        "Sunday, 6-Nov-94 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37",
        "Sunday, 06-Nov-94 08:49:37 GMT ",
        "Someday, 06-Nov-94 08:49:37 GMT",
        ", 06-Nov-94 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT, 06-Nov-94 08:49:37 GMT",
        // asctime
        "Sun Nov 6 08:49:37 1994",
        "Sun Nov  6 08:49:37 94",
        "Mon Nov  6 08:49:37 1994",
        "Sun Nov  6 08:49:37 1994 ",
        "Sun Nov 6  08:49:37 1994",
        "Sun Nov 0 6 08:49:37 1994",
        "Sun Nov    08:49:37 1994",
        "Sun Nov  6 08:49:37 GMT ",
        "Sun Nov  6 08:49:37 1994 GMT",
        // not dates
        "0",
        "784111777",
        "\"etag\"",
        "Sun",
    })
    void rejectsInvalidValues(String value) {
        assertEquals(HttpDate.INVALID, HttpDate.parse(value));
    }

    @Test
    void rejectsNull() {
        assertEquals(HttpDate.INVALID, HttpDate.parse(null));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // now                     | value                            | expected year
        "2025-01-01T00:00:00Z      | Sunday, 06-Nov-94 08:49:37 GMT   | 1994",
        "2025-01-01T00:00:00Z      | Tuesday, 06-Nov-74 08:49:37 GMT  | 2074",
        "2025-01-01T00:00:00Z      | Thursday, 06-Nov-75 08:49:37 GMT | 1975",
        "2090-06-01T00:00:00Z      | Saturday, 06-Nov-94 08:49:37 GMT | 2094",
        "2090-06-01T00:00:00Z      | Tuesday, 06-Nov-40 08:49:37 GMT  | 2040",
        "2090-06-01T00:00:00Z      | Friday, 06-Nov-39 08:49:37 GMT   | 2139",
        "2090-06-01T00:00:00Z      | Wednesday, 06-Nov-41 08:49:37 GMT | 2041",
        "1990-01-01T00:00:00Z      | Sunday, 06-Nov-94 08:49:37 GMT   | 1994",
        "1990-01-01T00:00:00Z      | Sunday, 06-Nov-39 08:49:37 GMT   | 2039",
        "1990-01-01T00:00:00Z      | Wednesday, 06-Nov-40 08:49:37 GMT | 1940",
        // 29 February of a two-digit year: the resolved century decides whether it exists
        "2025-01-01T00:00:00Z      | Tuesday, 29-Feb-00 12:00:00 GMT  | 2000",
    })
    void resolvesTwoDigitYearsRelativeToNow(String now, String value, int expectedYear) {
        long nowMillis = Instant.parse(now).toEpochMilli();
        long parsed = HttpDate.parse(value, nowMillis);
        assertEquals(expectedYear, Instant.ofEpochMilli(parsed).atZone(ZoneOffset.UTC).getYear(), value);
    }

    @Test
    void rfc850FebruaryTwentyNinthInCenturyYearThatIsNotLeap() {
        long now1950 = Instant.parse("1950-01-01T00:00:00Z").toEpochMilli();
        // with now = 1950, "00" resolves to 1900, which has no 29 February
        assertEquals(HttpDate.INVALID, HttpDate.parse("Thursday, 29-Feb-00 12:00:00 GMT", now1950));
    }

    @Test
    void leapYearRulesAcrossFourCenturies() {
        for (int year = 1600; year <= 2400; year++) {
            boolean leap = LocalDate.of(year, 1, 1).isLeapYear();
            LocalDate feb28 = LocalDate.of(year, 2, 28);
            String dayName = ZonedDateTime.of(feb28.plusDays(1).atStartOfDay(), ZoneOffset.UTC)
                    .format(DateTimeFormatter.ofPattern("EEE", Locale.US));
            String feb29 = String.format("%s, 29 Feb %04d 00:00:00 GMT", dayName, year);
            long expected = feb28.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
            assertEquals(leap ? expected : HttpDate.INVALID, HttpDate.parse(feb29), feb29);
        }
    }

    @Property
    void formatMatchesJavaTime(@ForAll("fourDigitYearMillis") long millis) {
        assertEquals(IMF.format(Instant.ofEpochMilli(millis)), HttpDate.format(millis));
    }

    @Property
    void parseInvertsFormatToTheSecond(@ForAll("fourDigitYearMillis") long millis) {
        long expected = Math.floorDiv(millis, 1000L) * 1000L;
        assertEquals(expected, HttpDate.parse(HttpDate.format(millis)));
    }

    @Property
    void asctimeAndImfFixdateAgree(@ForAll("fourDigitYearMillis") long millis) {
        Instant instant = Instant.ofEpochMilli(millis).truncatedTo(ChronoUnit.SECONDS);
        assertEquals(instant.toEpochMilli(), HttpDate.parse(ASCTIME.format(instant)));
    }

    @Property
    void rfc850WithinTheCenturyWindowAgrees(
            @ForAll @LongRange(min = 200_000_000L, max = 3_200_000_000L) long epochSecond) {
        // 1976..2071: inside the window (1975, 2075] of the fixed reference
        Instant instant = Instant.ofEpochSecond(epochSecond);
        assertEquals(instant.toEpochMilli(), HttpDate.parse(RFC850.format(instant)));
    }

    @Property
    void parseNeverThrows(@ForAll String anything) {
        long parsed = HttpDate.parse(anything);
        assertEquals(true, parsed == HttpDate.INVALID || parsed % 1000 == 0);
    }

    @Property
    void parseNeverThrowsOnDateShapedNoise(@ForAll("dateShaped") String almostDate) {
        long parsed = HttpDate.parse(almostDate);
        if (parsed != HttpDate.INVALID) {
            // whatever is accepted must be a canonical form of the instant it denotes
            String canonical = HttpDate.format(parsed);
            assertEquals(parsed, HttpDate.parse(canonical));
        }
    }

    @Provide
    Arbitrary<Long> fourDigitYearMillis() {
        return Arbitraries.longs().between(MIN_MILLIS, MAX_MILLIS);
    }

    @Provide
    Arbitrary<String> dateShaped() {
        // mutate one character of a valid date in each form
        Arbitrary<String> base = Arbitraries.of(
                "Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994");
        return base.flatMap(s -> Arbitraries.integers().between(0, s.length() - 1).flatMap(i ->
                Arbitraries.chars().range(' ', '~').map(c -> s.substring(0, i) + c + s.substring(i + 1))));
    }
}
