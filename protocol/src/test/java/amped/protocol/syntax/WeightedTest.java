package amped.protocol.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WeightedTest {

    @ParameterizedTest(name = "[{index}] qvalue({0}) = {1}")
    @CsvSource(delimiter = '|', value = {
        "0       | 0",
        "0.      | 0",
        "0.5     | 500",
        "0.05    | 50",
        "0.005   | 5",
        "0.999   | 999",
        "1       | 1000",
        "1.      | 1000",
        "1.000   | 1000",
        // more than three decimals, above one, not a number, signs and spaces
        "0.0001  | -1",
        "1.001   | -1",
        "2       | -1",
        "''      | -1",
        "'.5'    | -1",
        "'0,5'   | -1",
        "'-0'    | -1",
        "'0.5 '  | -1",
        "'0.a'   | -1",
        "'01'    | -1",
    })
    void qvalue(String value, int thousandths) {
        assertEquals(thousandths, Weighted.qvalue(value));
    }

    @ParameterizedTest(name = "[{index}] parse({0}) = {1};{2}")
    @CsvSource(delimiter = '|', value = {
        "gzip              | gzip  | 1000",
        "*                 | *     | 1000",
        "'gzip;q=0.5'      | gzip  | 500",
        "'gzip ; q=0.5'    | gzip  | 500",
        "'gzip;\tQ=0'      | gzip  | 0",
        "'br;q=1.0'        | br    | 1000",
        "'x-gzip;q=0.001'  | x-gzip | 1",
    })
    void parses(String member, String token, int q) {
        assertEquals(new Weighted(token, q), Weighted.parse(member));
    }

    @ParameterizedTest(name = "[{index}] parse({0}) is invalid")
    @CsvSource(delimiter = '|', value = {
        "''",
        "';q=1'",
        "'gzip;'",
        "'gzip;q'",
        "'gzip;q='",
        "'gzip;q=2'",
        "'gzip;q =1'",
        "'gzip;level=1'",
        "'gzip br'",
        "'\"gzip\"'",
        "'gzip;q=0.5;q=1'",
    })
    void rejects(String member) {
        assertNull(Weighted.parse(member));
    }

    @Property
    void everyThreeDecimalWeightRoundTrips(@ForAll @IntRange(min = 0, max = 1000) int thousandths) {
        String text = thousandths == 1000 ? "1.000" : String.format("0.%03d", thousandths);
        assertEquals(new Weighted("br", thousandths), Weighted.parse("br;q=" + text));
    }
}
