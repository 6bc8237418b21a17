package amped.protocol.syntax;

/**
 * HTTP-date formatting and parsing (RFC 9110 §5.6.7).
 *
 * <p>Senders must generate IMF-fixdate only; recipients must accept all three historical forms
 * (IMF-fixdate, obsolete RFC 850, ANSI C asctime). All arithmetic is done on the proleptic
 * Gregorian calendar in UTC without {@code java.time} so that formatting a Last-Modified or Date
 * value on every response costs a handful of integer operations and one small char array.
 *
 * <p>Supported years are 0000..9999, the range a 4DIGIT year field can express.
 */
public final class HttpDate {

    /** Returned by {@link #parse(String)} for every invalid value. Valid results are whole seconds (multiples of 1000), so -1 never collides with a real date. */
    public static final long INVALID = -1L;

    /**
     * The "current time" used by {@link #parse(String)} to resolve two-digit RFC 850 years: 2025-01-01T00:00:00Z.
     * A fixed instant keeps this class deterministic (no clock in the protocol module); callers that have a clock
     * can use {@link #parse(String, long)} instead.
     */
    public static final long RFC850_REFERENCE_MILLIS = 1_735_689_600_000L;

    private static final long MILLIS_PER_SECOND = 1000L;
    private static final long SECONDS_PER_DAY = 86_400L;

    /** 50 Gregorian years (50 * 365.2425 days) in seconds: the RFC 850 "more than 50 years in the future" horizon. */
    private static final long FIFTY_YEARS_SECONDS = 18_262L * SECONDS_PER_DAY + 3 * 3600L;

    private static final String[] DAY_NAMES = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    private static final String[] LONG_DAY_NAMES = {
        "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"
    };
    private static final String[] MONTH_NAMES = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
    };

    private static final long MIN_EPOCH_DAY = epochDay(0, 1, 1);
    private static final long MAX_EPOCH_DAY = epochDay(9999, 12, 31);

    private HttpDate() {
    }

    /**
     * Formats an instant as IMF-fixdate, e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT} (§5.6.7).
     * Sub-second precision is truncated (towards the past), since HTTP-date has one-second resolution.
     *
     * @throws IllegalArgumentException if the instant's year is outside 0000..9999
     */
    public static String format(long epochMillis) {
        long epochSecond = Math.floorDiv(epochMillis, MILLIS_PER_SECOND);
        long epochDay = Math.floorDiv(epochSecond, SECONDS_PER_DAY);
        if (epochDay < MIN_EPOCH_DAY || epochDay > MAX_EPOCH_DAY) {
            throw new IllegalArgumentException("year outside 0000..9999: " + epochMillis);
        }
        int secondOfDay = (int) Math.floorMod(epochSecond, SECONDS_PER_DAY);
        int[] ymd = civil(epochDay);
        String dayName = DAY_NAMES[dayOfWeek(epochDay)];
        String month = MONTH_NAMES[ymd[1] - 1];

        char[] out = new char[29];
        out[0] = dayName.charAt(0);
        out[1] = dayName.charAt(1);
        out[2] = dayName.charAt(2);
        out[3] = ',';
        out[4] = ' ';
        twoDigits(out, 5, ymd[2]);
        out[7] = ' ';
        out[8] = month.charAt(0);
        out[9] = month.charAt(1);
        out[10] = month.charAt(2);
        out[11] = ' ';
        twoDigits(out, 12, ymd[0] / 100);
        twoDigits(out, 14, ymd[0] % 100);
        out[16] = ' ';
        twoDigits(out, 17, secondOfDay / 3600);
        out[19] = ':';
        twoDigits(out, 20, secondOfDay / 60 % 60);
        out[22] = ':';
        twoDigits(out, 23, secondOfDay % 60);
        out[25] = ' ';
        out[26] = 'G';
        out[27] = 'M';
        out[28] = 'T';
        return new String(out);
    }

    /**
     * Parses an HTTP-date in any of the three forms of §5.6.7, resolving two-digit RFC 850 years against
     * {@link #RFC850_REFERENCE_MILLIS}.
     *
     * @return epoch milliseconds, or {@link #INVALID} (-1) when the value is not a valid HTTP-date
     */
    public static long parse(String value) {
        return parse(value, RFC850_REFERENCE_MILLIS);
    }

    /**
     * Parses an HTTP-date; {@code nowMillis} is only used to resolve the two-digit year of the obsolete RFC 850 form.
     *
     * <p>Parsing is strict: names are case-sensitive (the grammar uses %s"..." literals), fields must be in range
     * (including the day of month for the given month and year), the day name must be the actual weekday of the
     * date, and no leading, trailing or doubled whitespace is accepted. The grammar allows second 60 for a leap
     * second; it is accepted only as 23:59:60 (the only place a leap second occurs) and read as 23:59:59, because
     * epoch time has no leap seconds.
     *
     * @return epoch milliseconds, or {@link #INVALID} (-1) when the value is not a valid HTTP-date
     */
    public static long parse(String value, long nowMillis) {
        if (value == null) {
            return INVALID;
        }
        int length = value.length();
        if (length == 29 && value.charAt(3) == ',') {
            return parseImfFixdate(value);
        }
        if (length == 24 && value.charAt(3) == ' ') {
            return parseAsctime(value);
        }
        return parseRfc850(value, nowMillis);
    }

    // IMF-fixdate = day-name "," SP date1 SP time-of-day SP GMT ; "Sun, 06 Nov 1994 08:49:37 GMT"
    private static long parseImfFixdate(String s) {
        int dayName = indexOf(DAY_NAMES, s, 0, 3);
        if (dayName < 0 || s.charAt(4) != ' ' || s.charAt(7) != ' ' || s.charAt(11) != ' '
                || s.charAt(16) != ' ' || !s.startsWith(" GMT", 25)) {
            return INVALID;
        }
        int day = digits(s, 5, 2);
        int month = indexOf(MONTH_NAMES, s, 8, 3) + 1;
        int year = digits(s, 12, 4);
        return toMillis(dayName, year, month, day, s, 17);
    }

    // asctime-date = day-name SP date3 SP time-of-day SP year ; "Sun Nov  6 08:49:37 1994"
    // date3 = month SP ( 2DIGIT / ( SP DIGIT ) )
    private static long parseAsctime(String s) {
        int dayName = indexOf(DAY_NAMES, s, 0, 3);
        if (dayName < 0 || s.charAt(7) != ' ' || s.charAt(10) != ' ' || s.charAt(19) != ' ') {
            return INVALID;
        }
        int month = indexOf(MONTH_NAMES, s, 4, 3) + 1;
        int day = s.charAt(8) == ' ' ? digits(s, 9, 1) : digits(s, 8, 2);
        int year = digits(s, 20, 4);
        return toMillis(dayName, year, month, day, s, 11);
    }

    // rfc850-date = day-name-l "," SP date2 SP time-of-day SP GMT ; "Sunday, 06-Nov-94 08:49:37 GMT"
    // date2 = day "-" month "-" 2DIGIT
    private static long parseRfc850(String s, long nowMillis) {
        int comma = s.indexOf(',');
        if (comma < 0) {
            return INVALID;
        }
        int dayName = indexOf(LONG_DAY_NAMES, s, 0, comma);
        int rest = comma + 1;
        if (dayName < 0 || s.length() != rest + 23) {
            return INVALID;
        }
        if (s.charAt(rest) != ' ' || s.charAt(rest + 3) != '-' || s.charAt(rest + 7) != '-'
                || s.charAt(rest + 10) != ' ' || !s.startsWith(" GMT", rest + 19)) {
            return INVALID;
        }
        int day = digits(s, rest + 1, 2);
        int month = indexOf(MONTH_NAMES, s, rest + 4, 3) + 1;
        int twoDigitYear = digits(s, rest + 8, 2);
        if (day < 1 || month < 1 || twoDigitYear < 0) {
            return INVALID;
        }
        int year = resolveTwoDigitYear(twoDigitYear, month, day, nowMillis);
        return toMillis(dayName, year, month, day, s, rest + 11);
    }

    /**
     * §5.6.7: a two-digit year that "appears to be more than 50 years in the future" is the most recent past year
     * with the same last two digits. We pick the unique year Y ≡ yy (mod 100) whose date lies in the 100-year window
     * ending 50 years after now.
     */
    private static int resolveTwoDigitYear(int twoDigitYear, int month, int day, long nowMillis) {
        long nowSecond = Math.floorDiv(nowMillis, MILLIS_PER_SECOND);
        long horizonDay = Math.floorDiv(nowSecond + FIFTY_YEARS_SECONDS, SECONDS_PER_DAY);
        long nowYear = civil(Math.floorDiv(nowSecond, SECONDS_PER_DAY))[0];
        long candidate = nowYear - Math.floorMod(nowYear, 100) + twoDigitYear;
        // epochDay tolerates Feb 29 in a non-leap year (it rolls to Mar 1); the day is validated afterwards.
        if (epochDay(candidate, month, day) > horizonDay) {
            candidate -= 100;
        } else if (epochDay(candidate + 100, month, day) <= horizonDay) {
            candidate += 100;
        }
        return candidate < 0 || candidate > 9999 ? -1 : (int) candidate;
    }

    /** Validates the remaining fields and the weekday, then converts. Negative field values mean "did not parse". */
    private static long toMillis(int dayName, int year, int month, int day, String s, int timeAt) {
        if (year < 0 || month < 1 || day < 1 || day > daysInMonth(year, month)) {
            return INVALID;
        }
        if (s.charAt(timeAt + 2) != ':' || s.charAt(timeAt + 5) != ':') {
            return INVALID;
        }
        int hour = digits(s, timeAt, 2);
        int minute = digits(s, timeAt + 3, 2);
        int second = digits(s, timeAt + 6, 2);
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
            return INVALID;
        }
        if (second == 60) {
            if (hour != 23 || minute != 59) {
                return INVALID;
            }
            second = 59;
        }
        long epochDay = epochDay(year, month, day);
        if (dayOfWeek(epochDay) != dayName) {
            return INVALID;
        }
        return ((epochDay * SECONDS_PER_DAY) + hour * 3600L + minute * 60L + second) * MILLIS_PER_SECOND;
    }

    /** Parses exactly {@code count} ASCII digits; -1 if any is not a digit. */
    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** Index of the name equal (case-sensitively) to s[from, from+length), or -1. */
    private static int indexOf(String[] names, String s, int from, int length) {
        for (int i = 0; i < names.length; i++) {
            String name = names[i];
            if (name.length() == length && s.startsWith(name, from)) {
                return i;
            }
        }
        return -1;
    }

    private static void twoDigits(char[] out, int at, int value) {
        out[at] = (char) ('0' + value / 10);
        out[at + 1] = (char) ('0' + value % 10);
    }

    private static boolean isLeapYear(long year) {
        return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    }

    private static int daysInMonth(int year, int month) {
        return switch (month) {
            case 2 -> isLeapYear(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** 0 = Sunday; 1970-01-01 (epoch day 0) was a Thursday. */
    private static int dayOfWeek(long epochDay) {
        return (int) Math.floorMod(epochDay + 4, 7L);
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (era-based algorithm, March-based years). */
    private static long epochDay(long year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400L);
        long yearOfEra = y - era * 400;
        int shiftedMonth = month > 2 ? month - 3 : month + 9;
        long dayOfYear = (153L * shiftedMonth + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097 + dayOfEra - 719_468;
    }

    /** Inverse of {@link #epochDay}: {year, month, day}. */
    private static int[] civil(long epochDay) {
        long shifted = epochDay + 719_468;
        long era = Math.floorDiv(shifted, 146_097L);
        long dayOfEra = shifted - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long shiftedMonth = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * shiftedMonth + 2) / 5 + 1);
        int month = (int) (shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        return new int[] {(int) year, month, day};
    }
}
