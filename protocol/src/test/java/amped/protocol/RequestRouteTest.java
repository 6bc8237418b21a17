package amped.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestRouteTest {

    private static RequestRoute route(String method, String target) {
        return RequestRoute.of(ParserRun.parseHead(method + " " + target + " HTTP/1.1\r\nHost: h\r\n\r\n"));
    }

    @ParameterizedTest(name = "[{index}] {0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        // unknown methods: 501 (RFC 9110 §15.6.2), whatever the target
        "BREW      | /          | reject 501",
        "get       | /          | reject 501",
        "Get       | /          | reject 501",
        "FOO       | /%zz       | reject 501",
        "M-SEARCH  | *          | reject 501",
        // registered methods a file server does not allow: 405 with Allow (§15.5.6)
        "POST      | /          | reject 405 allow",
        "PUT       | /a         | reject 405 allow",
        "DELETE    | /a         | reject 405 allow",
        "PATCH     | /a         | reject 405 allow",
        "TRACE     | /          | reject 405 allow",
        "CONNECT   | h:443      | reject 405 allow",
        "PROPFIND  | /          | reject 405 allow",
        "PROPPATCH | /          | reject 405 allow",
        "MKCOL     | /d/        | reject 405 allow",
        "COPY      | /a         | reject 405 allow",
        "MOVE      | /a         | reject 405 allow",
        "LOCK      | /a         | reject 405 allow",
        "UNLOCK    | /a         | reject 405 allow",
        "POST      | /%zz       | reject 405 allow",
        // a bad target: 400
        "GET       | /%zz       | reject 400",
        "GET       | /..        | reject 400",
        "GET       | /a%2Fb     | reject 400",
        "HEAD      | /a%00      | reject 400",
        "GET       | ftp://h/a  | reject 400",
        "OPTIONS   | /a#b       | reject 400",
        // the asterisk form is only for OPTIONS (RFC 9112 §3.2.4)
        "GET       | *          | reject 400",
        "HEAD      | *          | reject 400",
        "OPTIONS   | *          | options",
        "OPTIONS   | /          | options",
        "OPTIONS   | /any/path  | options",
        // lookups
        "GET       | /          | lookup / get",
        "GET       | /a/./b/../c?q | lookup /a/c get",
        "GET       | http://h/x/ | lookup /x/ get",
        "HEAD      | /a         | lookup /a head",
        "HEAD      | /%C3%A9    | lookup /\u00e9 head",
    })
    void routes(String method, String target, String expected) {
        RequestRoute route = route(method, target);
        String[] parts = expected.split(" ");
        switch (parts[0]) {
            case "reject" -> {
                RequestRoute.Reject reject = assertInstanceOf(RequestRoute.Reject.class, route);
                assertEquals(Integer.parseInt(parts[1]), reject.status());
                assertEquals(parts.length > 2, reject.allow());
            }
            case "options" -> assertInstanceOf(RequestRoute.Options.class, route);
            case "lookup" -> {
                RequestRoute.Lookup lookup = assertInstanceOf(RequestRoute.Lookup.class, route);
                assertEquals(parts[1], lookup.target().path());
                assertEquals(parts[2].equals("head"), lookup.headOnly());
            }
            default -> throw new AssertionError(expected);
        }
    }

    @Test
    void lookupKeepsTheQuery() {
        RequestRoute.Lookup lookup = assertInstanceOf(RequestRoute.Lookup.class, route("GET", "/a?x=%2F"));
        assertEquals("x=%2F", lookup.target().rawQuery());
        assertEquals("/a", lookup.target().rawPath());
    }

    @Test
    void allowListsTheSupportedMethods() {
        assertEquals("GET, HEAD, OPTIONS", RequestRoute.ALLOW);
    }
}
