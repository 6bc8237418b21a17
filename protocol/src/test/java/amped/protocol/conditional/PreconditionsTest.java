package amped.protocol.conditional;

import static amped.protocol.conditional.PreconditionOutcome.NOT_MODIFIED;
import static amped.protocol.conditional.PreconditionOutcome.PRECONDITION_FAILED;
import static amped.protocol.conditional.PreconditionOutcome.PROCEED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Map;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PreconditionsTest {

    /** Sun, 06 Nov 1994 08:49:37.500 GMT: the half second checks truncation to whole seconds. */
    private static final long LAST_MODIFIED = 784_111_777_500L;
    private static final EntityTag CURRENT = EntityTag.strong("abc");

    /** Short names for date field values in the tables. */
    private static final Map<String, String> DATES = Map.of(
            "SAME", "Sun, 06 Nov 1994 08:49:37 GMT",
            "SAME_850", "Sunday, 06-Nov-94 08:49:37 GMT",
            "SAME_ASCTIME", "Sun Nov  6 08:49:37 1994",
            "SAME_OWS", "  Sun, 06 Nov 1994 08:49:37 GMT\t",
            "EARLIER", "Sun, 06 Nov 1994 08:49:36 GMT",
            "LATER", "Sun, 06 Nov 1994 08:49:38 GMT",
            "BAD", "Sun, 06 Nov 1994 08:49:37 CET",
            "LIST", "Sun, 06 Nov 1994 08:49:37 GMT, Sun, 06 Nov 1994 08:49:38 GMT");

    private static String date(String alias) {
        return alias == null ? null : DATES.getOrDefault(alias, alias);
    }

    @ParameterizedTest(name = "[{index}] GET/HEAD={0} IM={1} INM={2} IMS={3} IUS={4} -> {5}")
    @CsvSource(delimiter = '|', value = {
        // get  | If-Match     | If-None-Match | If-Modified-Since | If-Unmodified-Since | outcome
        "true   |              |               |                   |                     | PROCEED",
        "false  |              |               |                   |                     | PROCEED",
        // step 1: If-Match, strong comparison
        "true   | \"abc\"      |               |                   |                     | PROCEED",
        "false  | \"abc\"      |               |                   |                     | PROCEED",
        "true   | \"x\", \"abc\" |             |                   |                     | PROCEED",
        "true   | *            |               |                   |                     | PROCEED",
        "false  | *            |               |                   |                     | PROCEED",
        "true   | W/\"abc\"    |               |                   |                     | PRECONDITION_FAILED",
        "true   | \"x\"        |               |                   |                     | PRECONDITION_FAILED",
        "false  | \"x\"        |               |                   |                     | PRECONDITION_FAILED",
        "true   | ''           |               |                   |                     | PRECONDITION_FAILED",
        "true   | abc          |               |                   |                     | PRECONDITION_FAILED",
        "true   | \"abc\", x   |               |                   |                     | PRECONDITION_FAILED",
        // If-Match present: If-Unmodified-Since is not evaluated
        "true   | \"abc\"      |               |                   | EARLIER             | PROCEED",
        "false  | *            |               |                   | EARLIER             | PROCEED",
        // If-Match failure wins over everything that follows
        "true   | \"x\"        | \"abc\"       |                   |                     | PRECONDITION_FAILED",
        "true   | \"x\"        |               | SAME              |                     | PRECONDITION_FAILED",
        // If-Match passes, then If-None-Match decides
        "true   | \"abc\"      | \"abc\"       |                   |                     | NOT_MODIFIED",
        "false  | \"abc\"      | \"abc\"       |                   |                     | PRECONDITION_FAILED",
        "true   | \"abc\"      |               | SAME              |                     | NOT_MODIFIED",
        // step 2: If-Unmodified-Since (modification time truncated to seconds)
        "true   |              |               |                   | SAME                | PROCEED",
        "true   |              |               |                   | LATER               | PROCEED",
        "true   |              |               |                   | EARLIER             | PRECONDITION_FAILED",
        "false  |              |               |                   | EARLIER             | PRECONDITION_FAILED",
        "false  |              |               |                   | SAME_850            | PROCEED",
        "false  |              |               |                   | SAME_ASCTIME        | PROCEED",
        "true   |              |               |                   | BAD                 | PROCEED",
        "true   |              |               |                   | LIST                | PROCEED",
        "true   |              |               |                   | yesterday           | PROCEED",
        "true   |              | \"abc\"       |                   | EARLIER             | PRECONDITION_FAILED",
        "true   |              | \"abc\"       |                   | SAME                | NOT_MODIFIED",
        // step 3: If-None-Match, weak comparison
        "true   |              | \"abc\"       |                   |                     | NOT_MODIFIED",
        "true   |              | W/\"abc\"     |                   |                     | NOT_MODIFIED",
        "true   |              | \"x\", W/\"abc\" |                |                     | NOT_MODIFIED",
        "true   |              | *             |                   |                     | NOT_MODIFIED",
        "false  |              | \"abc\"       |                   |                     | PRECONDITION_FAILED",
        "false  |              | W/\"abc\"     |                   |                     | PRECONDITION_FAILED",
        "false  |              | *             |                   |                     | PRECONDITION_FAILED",
        "true   |              | \"x\"         |                   |                     | PROCEED",
        "false  |              | \"x\"         |                   |                     | PROCEED",
        // If-None-Match present and true: If-Modified-Since is not evaluated (step 3 -> step 5)
        "true   |              | \"x\"         | SAME              |                     | PROCEED",
        "true   |              | ''            | SAME              |                     | PROCEED",
        // unparsable If-None-Match is treated as absent, so If-Modified-Since applies
        "true   |              | abc           |                   |                     | PROCEED",
        "true   |              | abc           | SAME              |                     | NOT_MODIFIED",
        "true   |              | \"abc\" \"x\" | EARLIER           |                     | PROCEED",
        "false  |              | garbage       |                   |                     | PROCEED",
        // step 4: If-Modified-Since, GET/HEAD only
        "true   |              |               | SAME              |                     | NOT_MODIFIED",
        "true   |              |               | SAME_850          |                     | NOT_MODIFIED",
        "true   |              |               | SAME_ASCTIME      |                     | NOT_MODIFIED",
        "true   |              |               | SAME_OWS          |                     | NOT_MODIFIED",
        "true   |              |               | LATER             |                     | NOT_MODIFIED",
        "true   |              |               | EARLIER           |                     | PROCEED",
        "true   |              |               | BAD               |                     | PROCEED",
        "true   |              |               | LIST              |                     | PROCEED",
        "true   |              |               | ''                |                     | PROCEED",
        "false  |              |               | SAME              |                     | PROCEED",
        "false  |              |               | LATER             |                     | PROCEED",
        // both dates
        "true   |              |               | SAME              | SAME                | NOT_MODIFIED",
        "true   |              |               | SAME              | EARLIER             | PRECONDITION_FAILED",
        "true   |              |               | EARLIER           | LATER               | PROCEED",
    })
    void followsThePrecedenceOfSection13_2_2(boolean getOrHead, String ifMatch, String ifNoneMatch,
            String ifModifiedSince, String ifUnmodifiedSince, PreconditionOutcome expected) {
        assertEquals(expected, Preconditions.evaluate(getOrHead, ifMatch, ifNoneMatch, date(ifModifiedSince),
                date(ifUnmodifiedSince), CURRENT, LAST_MODIFIED));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // get  | If-Match | If-None-Match | outcome
        "true   | *        |               | PROCEED",
        "true   | \"abc\"  |               | PRECONDITION_FAILED",
        "true   |          | *             | NOT_MODIFIED",
        "false  |          | *             | PRECONDITION_FAILED",
        "true   |          | \"abc\"       | PROCEED",
    })
    void resourceWithoutEntityTag(boolean getOrHead, String ifMatch, String ifNoneMatch,
            PreconditionOutcome expected) {
        assertEquals(expected, Preconditions.evaluate(getOrHead, ifMatch, ifNoneMatch, null, null, null,
                LAST_MODIFIED));
    }

    @Test
    void datesBeforeTheEpochCompareCorrectly() {
        long lastModified = -1_500L; // 1969-12-31T23:59:58.500Z, truncates to ...:58
        assertEquals(NOT_MODIFIED, Preconditions.evaluate(true, null, null,
                "Wed, 31 Dec 1969 23:59:58 GMT", null, CURRENT, lastModified));
        assertEquals(PROCEED, Preconditions.evaluate(true, null, null,
                "Wed, 31 Dec 1969 23:59:57 GMT", null, CURRENT, lastModified));
        assertEquals(PRECONDITION_FAILED, Preconditions.evaluate(true, null, null,
                null, "Wed, 31 Dec 1969 23:59:57 GMT", CURRENT, lastModified));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // If-Range         | current   | allows partial
        "                   | \"abc\"   | true",
        "\"abc\"            | \"abc\"   | true",
        "' \"abc\" '        | \"abc\"   | true",
        "\"abc\"            | W/\"abc\" | false",
        "W/\"abc\"          | \"abc\"   | false",
        "W/\"abc\"          | W/\"abc\" | false",
        "\"x\"              | \"abc\"   | false",
        "\"abc\"            |           | false",
        "\"abc              | \"abc\"   | false",
        "\"abc\", \"x\"     | \"abc\"   | false",
        "SAME               | \"abc\"   | true",
        "SAME               |           | true",
        "SAME_850           | \"abc\"   | true",
        "SAME_ASCTIME       | \"abc\"   | true",
        "SAME_OWS           | \"abc\"   | true",
        "EARLIER            | \"abc\"   | false",
        "LATER              | \"abc\"   | false",
        "BAD                | \"abc\"   | false",
        "LIST               | \"abc\"   | false",
        "''                 | \"abc\"   | false",
        "abc                | \"abc\"   | false",
    })
    void ifRange(String ifRange, String current, boolean expected) {
        EntityTag currentTag = current == null ? null : EntityTag.parse(current).orElseThrow();
        assertEquals(expected, Preconditions.ifRangeAllowsPartial(date(ifRange), currentTag, LAST_MODIFIED));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // If-Range | now - lastModified (ms) | allows partial
        "SAME       | 0                       | false",
        "SAME       | 499                     | false",
        "SAME       | 500                     | true",
        "SAME       | 60000                   | true",
        "SAME       | -5000                   | false",
        "\"abc\"    | 0                       | true",
        "           | 0                       | true",
        "EARLIER    | 60000                   | false",
    })
    void ifRangeWithClockTreatsDatesFromTheCurrentSecondAsWeak(String ifRange, long age, boolean expected) {
        // LAST_MODIFIED is at .500, so +500 ms reaches the next second
        assertEquals(expected,
                Preconditions.ifRangeAllowsPartial(date(ifRange), CURRENT, LAST_MODIFIED, LAST_MODIFIED + age));
    }

    @Property(edgeCases = EdgeCasesMode.NONE) // 6 parameters: edge-case combinations would crowd out random tries
    void evaluateNeverThrows(@ForAll boolean getOrHead, @ForAll String ifMatch, @ForAll String ifNoneMatch,
            @ForAll String ifModifiedSince, @ForAll String ifUnmodifiedSince, @ForAll long lastModified) {
        assertNotNull(Preconditions.evaluate(getOrHead, ifMatch, ifNoneMatch, ifModifiedSince, ifUnmodifiedSince,
                CURRENT, lastModified));
        assertNotNull(Preconditions.evaluate(getOrHead, null, ifNoneMatch, ifModifiedSince, ifUnmodifiedSince,
                null, lastModified));
        Preconditions.ifRangeAllowsPartial(ifMatch, CURRENT, lastModified);
    }
}
