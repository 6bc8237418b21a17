package amped.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amped.protocol.conditional.EntityTag;
import amped.protocol.encoding.ContentCoding;
import amped.protocol.ranges.ByteRange;
import amped.protocol.ranges.MultipartByteranges;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FileResponsesTest {

    /** Sun, 06 Nov 1994 08:49:37.500 GMT: the half second checks that dates compare in whole seconds. */
    private static final long LAST_MODIFIED = 784_111_777_500L;
    /** A day later: Last-Modified is then a strong validator for If-Range (§8.8.2.2). */
    private static final long NOW = LAST_MODIFIED + 86_400_000L;
    private static final String LM = "Sun, 06 Nov 1994 08:49:37 GMT";
    private static final String EARLIER = "Sun, 06 Nov 1994 08:49:36 GMT";
    private static final String LATER = "Sun, 06 Nov 1994 08:49:38 GMT";
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String CACHE_CONTROL = "max-age=60";

    private static Representation rep(String variant) {
        return switch (variant) {
            case "plain" -> new Representation(10_000, LAST_MODIFIED, EntityTag.strong("v1"), TEXT,
                    ContentCoding.IDENTITY, false);
            // identity bytes of a file that also has precompressed siblings
            case "varies" -> new Representation(10_000, LAST_MODIFIED, EntityTag.strong("v1"), TEXT,
                    ContentCoding.IDENTITY, true);
            case "gzip" -> new Representation(4_000, LAST_MODIFIED, EntityTag.strong("v1-gz"), TEXT,
                    ContentCoding.GZIP, true);
            // gzip made on the fly: a weak tag of its own, and no ranges of it
            case "made" -> new Representation(3_000, LAST_MODIFIED, new EntityTag(true, "v1-gzip"), TEXT,
                    ContentCoding.GZIP, true, false);
            case "empty" -> new Representation(0, LAST_MODIFIED, EntityTag.strong("e"), TEXT,
                    ContentCoding.IDENTITY, false);
            default -> throw new IllegalArgumentException(variant);
        };
    }

    private static RequestHead request(String method, String fields) {
        return ParserRun.request(method, "/file.txt", fields);
    }

    private static String errorLength(int status) {
        return String.valueOf((status + " " + Status.reason(status) + "\n").length());
    }

    /** The fields each status carries for {@code rep}, before a case's overrides. */
    private static Map<String, String> defaults(int status, Representation rep) {
        Map<String, String> f = new LinkedHashMap<>();
        switch (status) {
            case 200, 206 -> {
                f.put("Content-Type", TEXT);
                f.put("Content-Length", String.valueOf(rep.length()));
                if (rep.byteRanges()) {
                    f.put("Accept-Ranges", "bytes");
                }
                if (rep.coding() != ContentCoding.IDENTITY) {
                    f.put("Content-Encoding", rep.coding().token());
                }
            }
            case 412 -> {
                f.put("Content-Type", TEXT);
                f.put("Content-Length", errorLength(412));
            }
            case 416 -> {
                // the content is the error text, so no Content-Encoding even for a compressed representation
                f.put("Content-Type", TEXT);
                f.put("Content-Length", errorLength(416));
                f.put("Content-Range", "bytes */" + rep.length());
                f.put("Accept-Ranges", "bytes");
            }
            case 304 -> {
                // §15.4.5: only the fields that guide caches
            }
            default -> throw new IllegalArgumentException(String.valueOf(status));
        }
        f.put("Last-Modified", LM);
        f.put("ETag", rep.etag().headerValue());
        if (rep.varies()) {
            f.put("Vary", "Accept-Encoding");
        }
        f.put("Cache-Control", CACHE_CONTROL);
        return f;
    }

    private static Arguments c(String name, String method, String variant, String fields, int status,
                               String overrides, String plan) {
        return Arguments.of(name, method, variant, fields, status, overrides, plan);
    }

    static Stream<Arguments> cases() {
        String range = "Range: bytes=0-99";
        String single = "Content-Length=100 | Content-Range=bytes 0-99/10000";
        return Stream.of(
            // 200
            c("plain GET", "GET", "plain", "", 200, "", "whole 10000"),
            c("HEAD plans the same", "HEAD", "plain", "", 200, "", "whole 10000"),
            c("unrelated fields", "GET", "plain", "Accept: */*\nUser-Agent: t", 200, "", "whole 10000"),
            c("varies adds Vary", "GET", "varies", "", 200, "", "whole 10000"),
            c("gzip coding", "GET", "gzip", "", 200, "", "whole 4000"),
            c("empty file", "GET", "empty", "", 200, "", "whole 0"),
            // gzip made on the fly: every Range gets the whole, validators still apply
            c("made gzip", "GET", "made", "", 200, "", "whole 3000"),
            c("made gzip ignores Range", "GET", "made", range, 200, "", "whole 3000"),
            c("made gzip ignores an unsatisfiable Range", "GET", "made", "Range: bytes=5000-", 200, "", "whole 3000"),
            c("made gzip ignores several ranges", "GET", "made", "Range: bytes=0-1,5-6", 200, "", "whole 3000"),
            c("made gzip with If-Range of its tag", "GET", "made", "If-Range: W/\"v1-gzip\"\n" + range, 200, "",
                    "whole 3000"),
            c("made gzip: INM of its weak tag", "GET", "made", "If-None-Match: W/\"v1-gzip\"", 304, "", "none"),
            c("made gzip: INM compares weakly", "GET", "made", "If-None-Match: \"v1-gzip\"", 304, "", "none"),
            c("made gzip: INM of the identity tag", "GET", "made", "If-None-Match: \"v1\"", 200, "", "whole 3000"),
            c("made gzip: If-Match compares strongly", "GET", "made", "If-Match: W/\"v1-gzip\"", 412, "", "bytes"),
            // 206 single
            c("first 100 bytes", "GET", "plain", range, 206, single, "single 0-99"),
            c("suffix range", "GET", "plain", "Range: bytes=-100", 206,
                    "Content-Length=100 | Content-Range=bytes 9900-9999/10000", "single 9900-9999"),
            c("open range", "GET", "plain", "Range: bytes=9990-", 206,
                    "Content-Length=10 | Content-Range=bytes 9990-9999/10000", "single 9990-9999"),
            c("range past the end is clipped", "GET", "plain", "Range: bytes=9999-20000", 206,
                    "Content-Length=1 | Content-Range=bytes 9999-9999/10000", "single 9999-9999"),
            c("overlapping ranges coalesce", "GET", "plain", "Range: bytes=0-9, 5-19", 206,
                    "Content-Length=20 | Content-Range=bytes 0-19/10000", "single 0-19"),
            c("unit is case-insensitive", "GET", "plain", "Range: BYTES=0-99", 206, single, "single 0-99"),
            c("206 of a compressed representation", "GET", "gzip", range, 206,
                    "Content-Length=100 | Content-Range=bytes 0-99/4000", "single 0-99"),
            c("206 carries Vary", "GET", "varies", range, 206, single, "single 0-99"),
            // 206 multipart
            c("two ranges", "GET", "plain", "Range: bytes=0-0,5-5", 206, "", "multipart 0-0,5-5"),
            c("three ranges, sorted", "GET", "varies", "Range: bytes=-10, 0-9, 100-199", 206, "",
                    "multipart 0-9,100-199,9990-9999"),
            // 416
            c("start at the length", "GET", "plain", "Range: bytes=10000-", 416, "", "bytes"),
            c("all ranges beyond", "GET", "plain", "Range: bytes=20000-30000, 10000-", 416, "", "bytes"),
            c("416 of a compressed representation", "GET", "gzip", "Range: bytes=4000-", 416, "", "bytes"),
            c("416 of an empty file", "GET", "empty", "Range: bytes=0-", 416, "", "bytes"),
            c("416 carries Vary", "GET", "varies", "Range: bytes=10000-", 416, "", "bytes"),
            // invalid or unusable Range: ignored (§14.2)
            c("not a range", "GET", "plain", "Range: bytes=abc", 200, "", "whole 10000"),
            c("other unit", "GET", "plain", "Range: items=0-1", 200, "", "whole 10000"),
            c("last before first", "GET", "plain", "Range: bytes=5-1", 200, "", "whole 10000"),
            c("empty Range", "GET", "plain", "Range:", 200, "", "whole 10000"),
            c("two Range fields", "GET", "plain", "Range: bytes=0-1\nRange: bytes=2-3", 200, "", "whole 10000"),
            c("two Range fields, one invalid", "GET", "plain", "Range: bytes=0-1\nRange: x", 200, "", "whole 10000"),
            c("suffix of an empty file", "GET", "empty", "Range: bytes=-5", 200, "", "whole 0"),
            // Range on HEAD: the head a GET would get (nginx does the same; see FileResponses.plan)
            c("HEAD with Range", "HEAD", "plain", range, 206, single, "single 0-99"),
            c("HEAD with unsatisfiable Range", "HEAD", "plain", "Range: bytes=10000-", 416, "", "bytes"),
            // If-Range (§13.1.5)
            c("If-Range strong ETag fresh", "GET", "plain", range + "\nIf-Range: \"v1\"", 206, single, "single 0-99"),
            c("If-Range strong ETag stale", "GET", "plain", range + "\nIf-Range: \"v0\"", 200, "", "whole 10000"),
            c("If-Range weak ETag never matches", "GET", "plain", range + "\nIf-Range: W/\"v1\"", 200, "",
                    "whole 10000"),
            c("If-Range date equal", "GET", "plain", range + "\nIf-Range: " + LM, 206, single, "single 0-99"),
            c("If-Range date earlier", "GET", "plain", range + "\nIf-Range: " + EARLIER, 200, "", "whole 10000"),
            c("If-Range date later", "GET", "plain", range + "\nIf-Range: " + LATER, 200, "", "whole 10000"),
            c("If-Range garbage", "GET", "plain", range + "\nIf-Range: yesterday", 200, "", "whole 10000"),
            c("If-Range stale with unsatisfiable Range", "GET", "plain", "Range: bytes=10000-\nIf-Range: \"v0\"",
                    200, "", "whole 10000"),
            c("If-Range without Range", "GET", "plain", "If-Range: \"v0\"", 200, "", "whole 10000"),
            // If-None-Match (§13.1.2): weak comparison
            c("INM matches", "GET", "plain", "If-None-Match: \"v1\"", 304, "", "none"),
            c("INM list matches", "GET", "plain", "If-None-Match: \"x\", \"v1\"", 304, "", "none"),
            c("INM star", "GET", "plain", "If-None-Match: *", 304, "", "none"),
            c("INM weak matches weakly", "GET", "plain", "If-None-Match: W/\"v1\"", 304, "", "none"),
            c("INM in two fields", "GET", "plain", "If-None-Match: \"x\"\nIf-None-Match: \"v1\"", 304, "", "none"),
            c("INM differs", "GET", "plain", "If-None-Match: \"v2\"", 200, "", "whole 10000"),
            c("INM on HEAD", "HEAD", "plain", "If-None-Match: \"v1\"", 304, "", "none"),
            c("304 carries Vary", "GET", "varies", "If-None-Match: \"v1\"", 304, "", "none"),
            c("304 of gzip: no Content-Encoding", "GET", "gzip", "If-None-Match: \"v1-gz\"", 304, "", "none"),
            c("INM of another coding's tag", "GET", "gzip", "If-None-Match: \"v1\"", 200, "", "whole 4000"),
            // If-Modified-Since (§13.1.3)
            c("IMS equal", "GET", "plain", "If-Modified-Since: " + LM, 304, "", "none"),
            c("IMS later", "GET", "plain", "If-Modified-Since: " + LATER, 304, "", "none"),
            c("IMS earlier", "GET", "plain", "If-Modified-Since: " + EARLIER, 200, "", "whole 10000"),
            c("IMS invalid", "GET", "plain", "If-Modified-Since: soon", 200, "", "whole 10000"),
            c("IMS ignored with INM", "GET", "plain", "If-None-Match: \"v2\"\nIf-Modified-Since: " + LATER, 200, "",
                    "whole 10000"),
            c("INM decides over IMS", "GET", "plain", "If-None-Match: \"v1\"\nIf-Modified-Since: " + EARLIER, 304,
                    "", "none"),
            // If-Match (§13.1.1): strong comparison
            c("IM matches", "GET", "plain", "If-Match: \"v1\"", 200, "", "whole 10000"),
            c("IM star", "GET", "plain", "If-Match: *", 200, "", "whole 10000"),
            c("IM list matches", "GET", "plain", "If-Match: \"v2\", \"v1\"", 200, "", "whole 10000"),
            c("IM differs", "GET", "plain", "If-Match: \"v2\"", 412, "", "bytes"),
            c("IM weak never matches", "GET", "plain", "If-Match: W/\"v1\"", 412, "", "bytes"),
            c("IM garbage", "GET", "plain", "If-Match: v1", 412, "", "bytes"),
            c("412 carries Vary", "GET", "varies", "If-Match: \"v2\"", 412, "", "bytes"),
            c("412 of gzip: no Content-Encoding", "GET", "gzip", "If-Match: \"v2\"", 412, "", "bytes"),
            // If-Unmodified-Since (§13.1.4)
            c("IUS earlier", "GET", "plain", "If-Unmodified-Since: " + EARLIER, 412, "", "bytes"),
            c("IUS equal", "GET", "plain", "If-Unmodified-Since: " + LM, 200, "", "whole 10000"),
            c("IUS later", "GET", "plain", "If-Unmodified-Since: " + LATER, 200, "", "whole 10000"),
            c("IUS invalid", "GET", "plain", "If-Unmodified-Since: never", 200, "", "whole 10000"),
            // precedence (§13.2.2)
            c("IM true skips IUS", "GET", "plain", "If-Match: \"v1\"\nIf-Unmodified-Since: " + EARLIER, 200, "",
                    "whole 10000"),
            c("IM false before INM", "GET", "plain", "If-Match: \"v2\"\nIf-None-Match: \"v1\"", 412, "", "bytes"),
            c("IM true then INM", "GET", "plain", "If-Match: \"v1\"\nIf-None-Match: \"v1\"", 304, "", "none"),
            c("IUS false before INM", "GET", "plain", "If-Unmodified-Since: " + EARLIER + "\nIf-None-Match: \"v1\"",
                    412, "", "bytes"),
            c("preconditions before Range: 304", "GET", "plain", "If-None-Match: \"v1\"\n" + range, 304, "", "none"),
            c("preconditions before Range: 412", "GET", "plain", "If-Match: \"v2\"\n" + range, 412, "", "bytes"),
            c("IMS 304 before Range", "GET", "plain", "If-Modified-Since: " + LATER + "\n" + range, 304, "", "none"),
            c("IMS false then Range", "GET", "plain", "If-Modified-Since: " + EARLIER + "\n" + range, 206, single,
                    "single 0-99"),
            c("INM false then Range", "GET", "plain", "If-None-Match: \"x\"\n" + range, 206, single, "single 0-99"),
            c("IM true then unsatisfiable Range", "GET", "plain", "If-Match: \"v1\"\nRange: bytes=10000-", 416, "",
                    "bytes"),
            c("precondition 412 before 416", "GET", "plain", "If-Match: \"v2\"\nRange: bytes=10000-", 412, "",
                    "bytes")
        );
    }

    @ParameterizedTest(name = "[{index}] {0}: {1} {3} -> {4}")
    @MethodSource("cases")
    void plan(String name, String method, String variant, String fields, int status, String overrides,
              String plan) {
        Representation rep = rep(variant);
        ResponseHead out = new ResponseHead();
        BodyPlan body = FileResponses.plan(request(method, fields), rep, CACHE_CONTROL, new Random(7), NOW, out);
        WrittenHead written = WrittenHead.of(out);
        assertEquals(status, written.status(), name + "\n" + out);
        assertEquals(status, out.status());

        Map<String, String> expected = defaults(status, rep);
        if (!overrides.isEmpty()) {
            for (String override : overrides.split(" \\| ")) {
                int eq = override.indexOf('=');
                expected.put(override.substring(0, eq), override.substring(eq + 1));
            }
        }
        String[] planParts = plan.split(" ");
        switch (planParts[0]) {
            case "whole" -> assertEquals(new BodyPlan.Whole(Long.parseLong(planParts[1])), body, name);
            case "single" -> {
                String[] bounds = planParts[1].split("-");
                assertEquals(new BodyPlan.Single(new ByteRange(Long.parseLong(bounds[0]), Long.parseLong(bounds[1]))),
                        body, name);
            }
            case "multipart" -> {
                MultipartByteranges multipart = assertInstanceOf(BodyPlan.Multipart.class, body, name).body();
                List<String> ranges = multipart.parts().stream()
                        .map(p -> p.range().first() + "-" + p.range().last()).toList();
                assertEquals(List.of(planParts[1].split(",")), ranges, name);
                assertEquals(multipart.contentTypeHeaderValue(), written.fields().get("Content-Type"));
                assertEquals("multipart/byteranges; boundary=" + multipart.boundary(),
                        written.fields().get("Content-Type"));
                long sum = multipart.trailer().length;
                for (MultipartByteranges.Part part : multipart.parts()) {
                    sum += part.head().length + part.range().length();
                }
                assertEquals(sum, multipart.contentLength());
                expected.put("Content-Type", multipart.contentTypeHeaderValue());
                expected.put("Content-Length", String.valueOf(multipart.contentLength()));
            }
            case "bytes" -> {
                BodyPlan.Bytes bytes = assertInstanceOf(BodyPlan.Bytes.class, body, name);
                assertEquals(status + " " + Status.reason(status) + "\n",
                        new String(bytes.content(), StandardCharsets.US_ASCII));
            }
            case "none" -> assertEquals(BodyPlan.NONE, body, name);
            default -> throw new AssertionError(plan);
        }
        assertEquals(expected, written.fields(), name + "\n" + out);
        // Vary iff the representation varies
        assertEquals(rep.varies(), written.fields().containsKey("Vary"), name);
        if (written.fields().containsKey("Content-Length") && !(body instanceof BodyPlan.Multipart)) {
            assertEquals(bodyLength(body), Long.parseLong(written.fields().get("Content-Length")), name);
        }
    }

    private static long bodyLength(BodyPlan plan) {
        return switch (plan) {
            case BodyPlan.Whole(long length) -> length;
            case BodyPlan.Single(ByteRange range) -> range.length();
            case BodyPlan.Bytes(byte[] content) -> content.length;
            case BodyPlan.None(), BodyPlan.Multipart _ -> throw new AssertionError(plan);
        };
    }

    @Test
    void headGetsTheSameHeadAsGetWhenThereIsNoRange() {
        for (String fields : List.of("", "If-None-Match: \"v1\"", "If-Match: \"v2\"", "If-None-Match: \"x\"",
                "If-Modified-Since: " + EARLIER, "Accept-Encoding: gzip")) {
            for (String variant : List.of("plain", "varies", "gzip", "made")) {
                ResponseHead get = new ResponseHead();
                ResponseHead head = new ResponseHead();
                BodyPlan getPlan = FileResponses.plan(request("GET", fields), rep(variant), CACHE_CONTROL,
                        new Random(1), NOW, get);
                BodyPlan headPlan = FileResponses.plan(request("HEAD", fields), rep(variant), CACHE_CONTROL,
                        new Random(1), NOW, head);
                assertEquals(get.toString(), head.toString(), fields);
                assertEquals(getPlan.getClass(), headPlan.getClass(), fields);
            }
        }
    }

    @Test
    void headWithRangeGetsTheHeadOfTheSameGet() {
        for (String range : List.of("Range: bytes=0-0", "Range: bytes=0-0,5-5", "Range: bytes=10000-")) {
            ResponseHead get = new ResponseHead();
            FileResponses.plan(request("GET", range), rep("plain"), CACHE_CONTROL, new Random(1), NOW, get);
            ResponseHead head = new ResponseHead();
            FileResponses.plan(request("HEAD", range), rep("plain"), CACHE_CONTROL, new Random(1), NOW, head);
            assertEquals(get.toString(), head.toString(), range);
        }
    }

    @Test
    void anIfRangeDateIsNoStrongValidatorWithinTheSecondOfTheModification() {
        ResponseHead out = new ResponseHead();
        BodyPlan plan = FileResponses.plan(request("GET", "Range: bytes=0-9\nIf-Range: " + LM), rep("plain"),
                CACHE_CONTROL, new Random(1), LAST_MODIFIED + 200, out);
        assertEquals(200, out.status());
        assertTrue(plan instanceof BodyPlan.Whole);
        plan = FileResponses.plan(request("GET", "Range: bytes=0-9\nIf-Range: " + LM), rep("plain"),
                CACHE_CONTROL, new Random(1), NOW, out);
        assertEquals(206, out.status());
    }

    @Test
    void noCacheControlWhenNoneIsConfigured() {
        for (String fields : List.of("", "If-None-Match: \"v1\"", "Range: bytes=0-1", "If-Match: \"x\"",
                "Range: bytes=10000-")) {
            ResponseHead out = new ResponseHead();
            FileResponses.plan(request("GET", fields), rep("varies"), null, new Random(1), NOW, out);
            WrittenHead written = WrittenHead.of(out);
            assertFalse(written.fields().containsKey("Cache-Control"), fields);
            assertEquals("Accept-Encoding", written.fields().get("Vary"), fields);
        }
    }

    @Test
    void multipartBoundaryComesFromTheRandomSource() {
        ResponseHead a = new ResponseHead();
        ResponseHead b = new ResponseHead();
        BodyPlan planA = FileResponses.plan(request("GET", "Range: bytes=0-0,5-5"), rep("plain"), null,
                new Random(1), NOW, a);
        BodyPlan planB = FileResponses.plan(request("GET", "Range: bytes=0-0,5-5"), rep("plain"), null,
                new Random(2), NOW, b);
        String boundaryA = assertInstanceOf(BodyPlan.Multipart.class, planA).body().boundary();
        String boundaryB = assertInstanceOf(BodyPlan.Multipart.class, planB).body().boundary();
        assertFalse(boundaryA.equals(boundaryB));
        assertTrue(a.toString().contains("boundary=" + boundaryA + "\r\n"));
    }

    @Test
    void headIsNotEndedSoTheConnectionCanAddFields() {
        ResponseHead out = new ResponseHead();
        FileResponses.plan(request("GET", ""), rep("plain"), null, new Random(1), NOW, out);
        assertFalse(out.toString().endsWith("\r\n\r\n"));
        assertTrue(out.toString().endsWith("\r\n"));
    }
}
