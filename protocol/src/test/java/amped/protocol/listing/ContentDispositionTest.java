package amped.protocol.listing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContentDispositionTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "docs.zip | attachment; filename=\"docs.zip\"",
            "a b.zip | attachment; filename=\"a b.zip\"",
            "naïve.zip | attachment; filename=\"na_ve.zip\"; filename*=UTF-8''na%C3%AFve.zip",
            "say \"hi\"\\.zip | attachment; filename=\"say _hi__.zip\"; filename*=UTF-8''say%20%22hi%22%5C.zip",
            "100%.zip | attachment; filename=\"100_.zip\"; filename*=UTF-8''100%25.zip",
            "日本.zip | attachment; filename=\"__.zip\"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.zip",
    })
    void asciiFallbackAndUtf8(String name, String expected) {
        assertEquals(expected, ContentDisposition.attachment(name));
    }
}
