package amped.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CorsTest {

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @CsvSource(delimiter = '|', value = {
        "OPTIONS | Origin: https://a.example\\nAccess-Control-Request-Method: GET | true",
        "OPTIONS | Access-Control-Request-Method: GET                           | false",
        "OPTIONS | Origin: https://a.example                                    | false",
        "GET     | Origin: https://a.example\\nAccess-Control-Request-Method: GET | false",
    })
    void aPreflightIsAnOptionsWithOriginAndRequestMethod(String method, String fields, boolean preflight) {
        // a CSV cell holds no line break: \\n stands for one
        assertEquals(preflight, Cors.isPreflight(ParserRun.request(method, "/f", fields.replace("\\n", "\n"))));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        // echoed when every name is a token (empty elements tolerated)
        "range                     | range",
        "range, if-none-match      | range, if-none-match",
        "Range,,X-Custom           | Range, X-Custom",
        "authorization             | authorization",
        // otherwise the fields of downloads
        "null                      | Range, If-Range, If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since, Authorization",
        "'a b'                     | Range, If-Range, If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since, Authorization",
        "'x-a, \"y\"'              | Range, If-Range, If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since, Authorization",
        "','                       | Range, If-Range, If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since, Authorization",
    })
    void allowedHeaders(String requested, String allowed) {
        assertEquals(allowed, Cors.allowedHeaders(requested));
    }

    @Test
    void thePreflightAnswerSaysWhatMayBeAskedAndForHowLong() {
        ResponseHead out = new ResponseHead();
        Cors.preflight(ParserRun.request("OPTIONS", "/big.bin", "Origin: https://a.example\n"
                + "Access-Control-Request-Method: GET\nAccess-Control-Request-Headers: range"), out);
        WrittenHead written = WrittenHead.of(out);
        assertEquals(204, written.status());
        assertEquals(Map.of("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS", "Access-Control-Allow-Headers", "range",
                "Access-Control-Max-Age", "86400", "Vary", "Access-Control-Request-Headers"), written.fields());
    }

    @Test
    void everyResponseLetsAnyOriginReadTheRangeFields() {
        assertEquals("Access-Control-Allow-Origin: *\r\nAccess-Control-Expose-Headers: Content-Range, Content-Length,"
                + " Content-Encoding, Accept-Ranges, ETag, Last-Modified\r\n",
                new String(Cors.RESPONSE_FIELDS, StandardCharsets.US_ASCII));
    }
}
