package amped.protocol.encoding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ContentCodingTest {

    @ParameterizedTest
    @CsvSource({"BROTLI, br, .br", "GZIP, gzip, .gz", "IDENTITY, identity, ''"})
    void tokensAndFileSuffixes(ContentCoding coding, String token, String suffix) {
        assertEquals(token, coding.token());
        assertEquals(suffix, coding.fileSuffix());
        assertEquals(Optional.of(coding), ContentCoding.fromToken(token));
    }

    @ParameterizedTest
    @CsvSource({"br, BROTLI", "BR, BROTLI", "Gzip, GZIP", "x-gzip, GZIP", "X-GZIP, GZIP", "IDENTITY, IDENTITY"})
    void namesAreCaseInsensitiveAndXGzipIsAnAlias(String token, ContentCoding expected) {
        assertEquals(Optional.of(expected), ContentCoding.fromToken(token));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "*", "deflate", "compress", "zstd", "gz", "brotli", " gzip", "x-br"})
    void unknownTokens(String token) {
        assertEquals(Optional.empty(), ContentCoding.fromToken(token));
    }
}
