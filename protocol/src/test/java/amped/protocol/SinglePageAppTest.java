package amped.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SinglePageAppTest {

    @ParameterizedTest(name = "[{index}] {0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "GET     | /about                 | true",
        "GET     | /users/42/edit         | true",
        "HEAD    | /users/42               | true",
        "GET     | /app/                  | true",
        "GET     | /route?tab=2           | true",
        "GET     | /v1.2/settings         | true",
        // a file's name: a missing asset stays 404, never HTML
        "GET     | /main.js               | false",
        "GET     | /assets/logo.svg       | false",
        "GET     | /.env                  | false",
        "GET     | /                      | false",
        "OPTIONS | /about                 | false",
    })
    void aRouteIsAGetOfAPathWithoutExtension(String method, String target, boolean route) throws Exception {
        assertEquals(route, SinglePageApp.isRoute(Method.valueOf(method), RequestTarget.parse(target)));
    }
}
