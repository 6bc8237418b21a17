package amped.protocol.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommaListTest {

    @ParameterizedTest(name = "[{index}] elements({0}) = {1}")
    @CsvSource(delimiter = '|', value = {
        // value       | elements joined by '/'
        "''            | ''",
        "a             | a",
        "'a,b'         | a/b",
        "' a , b '     | a/b",
        "'a,,b'        | a//b",
        "','           | /",
        "', ,'         | //",
        "'\ta\t,\tb'   | a/b",
        "'a b, c'      | a b/c",
        "'0-1,2-3,'    | 0-1/2-3/",
        "'gzip;q=0.5 , br' | gzip;q=0.5/br",
    })
    void elements(String value, String joined) {
        List<String> expected = Arrays.asList(joined.split("/", -1));
        assertEquals(expected, CommaList.elements(value));
    }

    @Property
    void oneElementPerCommaPlusOne(@ForAll String value) {
        List<String> elements = CommaList.elements(value);
        assertEquals(value.chars().filter(c -> c == ',').count() + 1, elements.size());
        for (String element : elements) {
            assertEquals(Ows.trim(element), element);
        }
    }
}
