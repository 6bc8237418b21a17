package amped.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amped.protocol.listing.ListingAssets;
import amped.protocol.conditional.EntityTag;
import amped.protocol.encoding.ContentCoding;
import amped.protocol.ranges.ByteRange;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ResponsePlansTest {

    private static final long LAST_MODIFIED = 784_111_777_000L;
    private static final long NOW = LAST_MODIFIED + 86_400_000L;
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String CACHE_CONTROL = "max-age=60";
    private static final byte[] HTML = "<!doctype html><title>/dir/</title>".getBytes(StandardCharsets.UTF_8);
    private static final Representation REP = new Representation(1_000, LAST_MODIFIED, EntityTag.strong("v1"),
            TEXT, ContentCoding.IDENTITY, false);

    /** The request fields every outcome is tried with: none, a precondition of each kind, a Range. */
    private static final List<String> FIELDS = List.of("", "If-None-Match: \"v1\"", "If-Match: \"x\"",
            "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT", "Range: bytes=0-9", "If-Range: \"v1\"\nRange: bytes=0-9");

    private static ResourceOutcome outcome(String name) {
        return switch (name) {
            case "found" -> new ResourceOutcome.Found(REP);
            case "redirect" -> new ResourceOutcome.Redirect("/a%20dir/");
            case "listing" -> new ResourceOutcome.Listing(HTML, false);
            case "json listing" -> new ResourceOutcome.Listing(HTML, true);
            case "archive" -> new ResourceOutcome.Archive("naïve.zip", 12_345);
            case "403" -> new ResourceOutcome.Refused(403);
            case "404" -> new ResourceOutcome.Refused(404);
            case "busy" -> new ResourceOutcome.Unavailable(2);
            case "not acceptable" -> new ResourceOutcome.NotAcceptable();
            case "error page" -> new ResourceOutcome.ErrorPage(404, "text/html; charset=utf-8", 321);
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static String errorText(int status) {
        return status + " " + Status.reason(status) + "\n";
    }

    private static Map<String, String> fields(String... nameValues) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            fields.put(nameValues[i], nameValues[i + 1]);
        }
        return fields;
    }

    private static Map<String, String> errorFields(int status, String... more) {
        Map<String, String> fields = fields("Content-Type", TEXT,
                "Content-Length", String.valueOf(errorText(status).length()));
        fields.putAll(fields(more));
        return fields;
    }

    /**
     * Outcome, target, request fields, status, fields, body (an error text's status, "html", or a file plan).
     * Outcomes other than a file answer the same whatever preconditions or Range the request has.
     */
    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (String fields : FIELDS) {
            cases.add(Arguments.of("redirect", "/a%20dir", fields, 301,
                    errorFields(301, "Location", "/a%20dir/"), "301"));
            cases.add(Arguments.of("redirect", "/a%20dir?x=1&y", fields, 301,
                    errorFields(301, "Location", "/a%20dir/?x=1&y"), "301"));
            cases.add(Arguments.of("redirect", "/a%20dir?", fields, 301,
                    errorFields(301, "Location", "/a%20dir/?"), "301"));
            cases.add(Arguments.of("listing", "/dir/", fields, 200, fields("Content-Type", "text/html; charset=utf-8",
                    "Content-Length", String.valueOf(HTML.length), "Cache-Control", "no-cache", "Vary", "Accept",
                    "Content-Security-Policy", ListingAssets.CONTENT_SECURITY_POLICY,
                    "X-Content-Type-Options", "nosniff"), "html"));
            cases.add(Arguments.of("json listing", "/dir/", fields, 200, fields("Content-Type", "application/json",
                    "Content-Length", String.valueOf(HTML.length), "Cache-Control", "no-cache", "Vary", "Accept",
                    "X-Content-Type-Options", "nosniff"), "html"));
            // an archive is always sent whole: no ranges, no validators to meet
            cases.add(Arguments.of("archive", "/dir/?download=zip", fields, 200, fields(
                    "Content-Type", "application/zip", "Content-Length", "12345", "Content-Disposition",
                    "attachment; filename=\"na_ve.zip\"; filename*=UTF-8''na%C3%AFve.zip", "Cache-Control", "no-cache"),
                    "archive"));
            cases.add(Arguments.of("403", "/secret", fields, 403, errorFields(403), "403"));
            cases.add(Arguments.of("404", "/missing", fields, 404, errorFields(404), "404"));
            cases.add(Arguments.of("busy", "/huge/", fields, 503, errorFields(503, "Retry-After", "2"), "503"));
            // the operator's 404 page: whole, whatever the preconditions or Range (they concern what was asked for)
            cases.add(Arguments.of("error page", "/missing", fields, 404, fields("Content-Type", "text/html; charset=utf-8",
                    "Content-Length", "321"), "page"));
            cases.add(Arguments.of("not acceptable", "/file.txt", fields, 406,
                    errorFields(406, "Vary", "Accept-Encoding"), "406"));
        }
        Map<String, String> ok = fields("Content-Type", TEXT, "Content-Length", "1000", "Accept-Ranges", "bytes",
                "Last-Modified", "Sun, 06 Nov 1994 08:49:37 GMT", "ETag", "\"v1\"", "Cache-Control", CACHE_CONTROL);
        cases.add(Arguments.of("found", "/file.txt", "", 200, ok, "whole"));
        cases.add(Arguments.of("found", "/file.txt", "If-None-Match: \"v1\"", 304, fields(
                "Last-Modified", "Sun, 06 Nov 1994 08:49:37 GMT", "ETag", "\"v1\"", "Cache-Control", CACHE_CONTROL),
                "none"));
        cases.add(Arguments.of("found", "/file.txt", "If-Match: \"x\"", 412, errorFields(412,
                "Last-Modified", "Sun, 06 Nov 1994 08:49:37 GMT", "ETag", "\"v1\"", "Cache-Control", CACHE_CONTROL),
                "412"));
        Map<String, String> partial = fields("Content-Type", TEXT, "Content-Range", "bytes 0-9/1000",
                "Content-Length", "10", "Accept-Ranges", "bytes", "Last-Modified", "Sun, 06 Nov 1994 08:49:37 GMT",
                "ETag", "\"v1\"", "Cache-Control", CACHE_CONTROL);
        cases.add(Arguments.of("found", "/file.txt", "Range: bytes=0-9", 206, partial, "single"));
        cases.add(Arguments.of("found", "/file.txt", "If-Range: \"v1\"\nRange: bytes=0-9", 206, partial, "single"));
        cases.add(Arguments.of("found", "/file.txt", "Range: bytes=1000-", 416, errorFields(416,
                "Content-Range", "bytes */1000", "Accept-Ranges", "bytes",
                "Last-Modified", "Sun, 06 Nov 1994 08:49:37 GMT", "ETag", "\"v1\"", "Cache-Control", CACHE_CONTROL),
                "416"));
        return cases.build();
    }

    @ParameterizedTest(name = "[{index}] {0} {1} [{2}] -> {3}")
    @MethodSource("cases")
    void plan(String outcome, String target, String requestFields, int status, Map<String, String> fields,
              String body) throws RequestTarget.InvalidTargetException {
        for (String method : List.of("GET", "HEAD")) {
            ResponseHead out = new ResponseHead();
            RequestHead request = ParserRun.request(method, target, requestFields);
            BodyPlan plan = ResponsePlans.plan(request, RequestTarget.parse(target), outcome(outcome), CACHE_CONTROL,
                    new Random(1), NOW, out);
            WrittenHead written = WrittenHead.of(out);
            assertEquals(status, written.status(), method + " " + out);
            // the same fields in the same order: the order is what the wire carries
            assertEquals(List.copyOf(fields.entrySet()), List.copyOf(written.fields().entrySet()), method + " " + out);
            switch (body) {
                case "whole" -> assertEquals(new BodyPlan.Whole(REP.length()), plan);
                case "page" -> assertEquals(new BodyPlan.Whole(321), plan);
                case "single" -> assertEquals(new BodyPlan.Single(new ByteRange(0, 9)), plan);
                case "none" -> assertEquals(BodyPlan.NONE, plan);
                case "archive" -> assertEquals(new BodyPlan.Whole(12_345), plan);
                case "html" -> assertArrayEquals(HTML, assertInstanceOf(BodyPlan.Bytes.class, plan).content());
                default -> assertEquals(errorText(Integer.parseInt(body)),
                        new String(assertInstanceOf(BodyPlan.Bytes.class, plan).content(), StandardCharsets.US_ASCII));
            }
        }
    }

    @Test
    void plainOkAnswersOnlyARequestWithoutPreconditionsOrRange() {
        byte[] okFields = FileResponses.okFields(REP, CACHE_CONTROL);
        for (String fields : List.of("", "Accept: */*\nUser-Agent: t", "Accept-Encoding: gzip", "X-If-Match: 1",
                "Ranges: bytes=0-1")) {
            ResponseHead out = new ResponseHead();
            assertTrue(ResponsePlans.plainOk(ParserRun.request("GET", "/file.txt", fields), okFields, out), fields);
            ResponseHead planned = new ResponseHead();
            ResponsePlans.plan(ParserRun.request("GET", "/file.txt", fields), null, new ResourceOutcome.Found(REP),
                    CACHE_CONTROL, new Random(1), NOW, planned);
            assertEquals(planned.toString(), out.toString(), fields);
        }
        for (String fields : List.of("If-Match: *", "If-None-Match: \"v1\"", "IF-MODIFIED-SINCE: x",
                "if-unmodified-since: x", "If-Range: \"v1\"", "Range: bytes=0-1", "range: x",
                "Accept: */*\nRange: bytes=0-1")) {
            ResponseHead out = new ResponseHead();
            String before = out.toString();
            assertFalse(ResponsePlans.plainOk(ParserRun.request("GET", "/file.txt", fields), new byte[0], out),
                    fields);
            assertEquals(before, out.toString(), fields);
        }
    }

    private static final List<String> CONDITIONAL = List.of("If-Match", "If-None-Match", "If-Modified-Since",
            "If-Unmodified-Since", "If-Range", "Range");

    @Property
    void unconditionalIffNoPreconditionOrRangeField(@ForAll("fieldNames") List<String> names) {
        StringBuilder fields = new StringBuilder();
        for (String name : names) {
            fields.append(fields.isEmpty() ? "" : "\n").append(name).append(": v");
        }
        boolean expected = names.stream().noneMatch(n -> CONDITIONAL.stream().anyMatch(n::equalsIgnoreCase));
        assertEquals(expected, FileResponses.isUnconditional(ParserRun.request("GET", "/", fields.toString())));
    }

    @Provide
    Arbitrary<List<String>> fieldNames() {
        Arbitrary<String> conditional = Arbitraries.of(CONDITIONAL).flatMap(n -> Arbitraries.of(n, n.toLowerCase(),
                n.toUpperCase()));
        Arbitrary<String> other = Arbitraries.of("Accept", "Accept-Encoding", "User-Agent", "If-Matches", "Rang",
                "X-Range", "Cookie", "Referer");
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, conditional), net.jqwik.api.Tuple.of(6, other))
                .list().ofMaxSize(12);
    }
}
