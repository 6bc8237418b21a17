package amped.protocol;

import static amped.protocol.ParserRun.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amped.protocol.ParserRun.Head;
import amped.protocol.ParserRun.Outcome;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestParserTest {

    private static final RequestParser.Status NEED_MORE = RequestParser.Status.NEED_MORE;
    private static final RequestParser.Status HEAD_COMPLETE = RequestParser.Status.HEAD_COMPLETE;
    private static final RequestParser.Status ERROR = RequestParser.Status.ERROR;

    /** A GET with a HTTP/1.1 Host, then {@code fields} (each ending in CRLF), then the empty line. */
    private static String get(String fields) {
        return "GET / HTTP/1.1\r\nHost: h\r\n" + fields + "\r\n";
    }

    private static String repeat(String s, int n) {
        return s.repeat(n);
    }

    /** Runs the input whole, one byte at a time (heap and direct buffers) and checks they all agree. */
    private static Outcome runAllWays(ParseLimits limits, String input) {
        byte[] b = bytes(input);
        Outcome whole = ParserRun.feed(limits, b, false);
        assertEquals(whole, ParserRun.bytewise(limits, b, false), "byte-at-a-time differs from whole");
        assertEquals(whole, ParserRun.bytewise(limits, b, true), "byte-at-a-time (direct) differs from whole");
        return whole;
    }

    private static Outcome runAllWays(String input) {
        return runAllWays(ParseLimits.DEFAULTS, input);
    }

    // ---- a sample request, whole and split ----

    private static final String SAMPLE = "GET /docs/index.html?q=a%20b&x HTTP/1.1\r\n"
            + "Host: example.com:8080\r\n"
            + "User-Agent: curl/8.5.0\r\n"
            + "Accept: text/html, */*;q=0.8\r\n"
            + "accept-encoding:gzip,\tbr\r\n"
            + "X-Empty:\r\n"
            + "X-Padded: \t spaced  value \t \r\n"
            + "X-Latin: caf\u00e9\r\n"
            + "Connection: keep-alive, Upgrade\r\n"
            + "Content-Length: 0\r\n"
            + "\r\n";

    private static final List<String> SAMPLE_FIELDS = List.of(
            "Host: example.com:8080",
            "User-Agent: curl/8.5.0",
            "Accept: text/html, */*;q=0.8",
            "accept-encoding: gzip,\tbr",
            "X-Empty: ",
            "X-Padded: spaced  value",
            "X-Latin: caf\u00e9",
            "Connection: keep-alive, Upgrade",
            "Content-Length: 0");

    private static Head sampleHead(int end) {
        return new Head("GET", Method.GET, "/docs/index.html?q=a%20b&x", HttpVersion.HTTP_1_1, SAMPLE_FIELDS,
                true, 0, false, false, end);
    }

    @Test
    void sampleParsedWhole() {
        Outcome whole = ParserRun.whole(SAMPLE);
        assertEquals(new Outcome(List.of(sampleHead(SAMPLE.length())), NEED_MORE, 0, false, SAMPLE.length()), whole);
    }

    @Test
    void sampleSplitAtEveryPositionIntoTwoFeeds() {
        byte[] b = bytes(SAMPLE);
        Outcome expected = ParserRun.feed(ParseLimits.DEFAULTS, b, false);
        assertEquals(sampleHead(b.length), expected.heads().get(0));
        for (int cut = 0; cut <= b.length; cut++) {
            assertEquals(expected, ParserRun.feed(ParseLimits.DEFAULTS, b, false, cut), "cut at " + cut);
            assertEquals(expected, ParserRun.feed(ParseLimits.DEFAULTS, b, true, cut), "direct, cut at " + cut);
        }
    }

    @Test
    void sampleFedOneByteAtATime() {
        Outcome expected = new Outcome(List.of(sampleHead(SAMPLE.length())), NEED_MORE, 0, false, SAMPLE.length());
        assertEquals(expected, ParserRun.bytewise(ParseLimits.DEFAULTS, bytes(SAMPLE), false));
        assertEquals(expected, ParserRun.bytewise(ParseLimits.DEFAULTS, bytes(SAMPLE), true));
    }

    @Test
    void sampleWithEmptyFeedsBetweenEveryByte() {
        byte[] b = bytes(SAMPLE);
        int[] cuts = new int[2 * b.length];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = (i + 1) / 2; // 0, 1, 1, 2, 2, ...: an empty piece after every byte
        }
        assertEquals(ParserRun.whole(SAMPLE), ParserRun.feed(ParseLimits.DEFAULTS, b, false, cuts));
    }

    @Test
    void lfOnlyLineEndingsAreAccepted() {
        String lf = SAMPLE.replace("\r\n", "\n");
        Outcome outcome = runAllWays(lf);
        assertEquals(new Outcome(List.of(sampleHead(lf.length())), NEED_MORE, 0, false, lf.length()), outcome);
        // and mixed, line by line
        String mixed = "GET /m HTTP/1.1\nHost: h\r\nA: 1\n\r\n";
        Outcome m = runAllWays(mixed);
        assertEquals(List.of("Host: h", "A: 1"), m.heads().get(0).fields());
        assertEquals(mixed.length(), m.heads().get(0).end());
    }

    // ---- pipelining ----

    /** Requests, each followed by its body; a body that looks like a request must be skipped, not parsed. */
    private static final String[][] PIPELINE = {
        {"GET /one HTTP/1.1\r\nHost: h\r\n\r\n", ""},
        {"GET /two HTTP/1.1\r\nHost: h\r\nContent-Length: 17\r\n\r\n", "GET /x HTTP/1.1\r\n"},
        {"GET /three HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n",
            "4;name=value;flag\r\nGET \r\nA ; ext=\"q\"\r\n/ HTTP/1.1\r\n0\r\nX-Trailer: GET / HTTP/1.1\r\nSum: 1\r\n\r\n"},
        {"HEAD /four HTTP/1.0\r\n\r\n", ""},
        {"OPTIONS * HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n", "0\r\n\r\n"},
        {"GET /six HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\n", "abc"},
        {"\r\nGET /seven HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n", "1\nz\n0\n\n"},
        {"GET /eight HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", ""},
    };

    private static final List<String> PIPELINE_TARGETS =
            List.of("/one", "/two", "/three", "/four", "*", "/six", "/seven", "/eight");

    private static String pipeline() {
        StringBuilder all = new StringBuilder();
        for (String[] request : PIPELINE) {
            all.append(request[0]).append(request[1]);
        }
        return all.toString();
    }

    /** Offsets just after each head. */
    private static List<Integer> pipelineHeadEnds() {
        List<Integer> ends = new ArrayList<>();
        int offset = 0;
        for (String[] request : PIPELINE) {
            ends.add(offset + request[0].length());
            offset += request[0].length() + request[1].length();
        }
        return ends;
    }

    @Test
    void pipelinedRequestsCompleteInOrderAndStopRightAfterEachHead() {
        String all = pipeline();
        RequestParser parser = new RequestParser(ParseLimits.DEFAULTS);
        ByteBuffer in = ByteBuffer.wrap(bytes(all));
        List<Integer> ends = pipelineHeadEnds();
        for (int i = 0; i < PIPELINE.length; i++) {
            assertEquals(HEAD_COMPLETE, parser.parse(in), "request " + i);
            assertEquals(ends.get(i), in.position(), "position after head " + i);
            assertEquals(PIPELINE_TARGETS.get(i), parser.head().target());
        }
        assertEquals(NEED_MORE, parser.parse(in));
        assertFalse(in.hasRemaining());
        assertTrue(parser.isIdle());

        Outcome outcome = ParserRun.whole(all);
        assertEquals(PIPELINE_TARGETS, outcome.heads().stream().map(Head::target).toList());
        assertEquals(ends, outcome.heads().stream().map(Head::end).toList());
        assertEquals(List.of(-1L, 17L, -1L, -1L, -1L, 3L, -1L, -1L),
                outcome.heads().stream().map(Head::contentLength).toList());
        assertEquals(List.of(false, false, true, false, true, false, true, false),
                outcome.heads().stream().map(Head::chunked).toList());
        assertEquals(List.of(true, true, true, false, true, true, true, false),
                outcome.heads().stream().map(Head::keepAlive).toList());
        assertEquals(List.of(Method.GET, Method.GET, Method.GET, Method.HEAD, Method.OPTIONS, Method.GET,
                Method.GET, Method.GET), outcome.heads().stream().map(Head::method).toList());
        assertEquals(all.length(), outcome.consumed());
    }

    @Test
    void pipelineSplitAnywhereGivesTheSameHeads() {
        byte[] b = bytes(pipeline());
        Outcome expected = ParserRun.feed(ParseLimits.DEFAULTS, b, false);
        assertEquals(PIPELINE.length, expected.heads().size());
        for (int cut = 0; cut <= b.length; cut++) {
            assertEquals(expected, ParserRun.feed(ParseLimits.DEFAULTS, b, false, cut), "cut at " + cut);
        }
        for (int cut = 0; cut + 7 <= b.length; cut += 5) {
            assertEquals(expected, ParserRun.feed(ParseLimits.DEFAULTS, b, true, cut, cut + 7), "cuts at " + cut);
        }
        assertEquals(expected, ParserRun.bytewise(ParseLimits.DEFAULTS, b, false));
        assertEquals(expected, ParserRun.bytewise(ParseLimits.DEFAULTS, b, true));
    }

    @Test
    void bodyIsSkippedAcrossFeeds() {
        RequestParser parser = new RequestParser(ParseLimits.DEFAULTS);
        ByteBuffer first = ByteBuffer.wrap(bytes("GET /a HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n01234"));
        assertEquals(HEAD_COMPLETE, parser.parse(first));
        assertEquals(NEED_MORE, parser.parse(first));
        assertFalse(first.hasRemaining());
        ByteBuffer second = ByteBuffer.wrap(bytes("5678"));
        assertEquals(NEED_MORE, parser.parse(second));
        assertTrue(parser.inBody());
        ByteBuffer third = ByteBuffer.wrap(bytes("9GET /b HTTP/1.1\r\nHost: h\r\n\r\n"));
        assertEquals(HEAD_COMPLETE, parser.parse(third));
        assertEquals("/b", parser.head().target());
        assertEquals(-1, parser.head().contentLength());
        assertFalse(third.hasRemaining());
    }

    // ---- keep-alive ----

    @ParameterizedTest(name = "[{index}] {0} Connection: {1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
        "HTTP/1.1 | NONE                  | true",
        "HTTP/1.1 | close                 | false",
        "HTTP/1.1 | Close                 | false",
        "HTTP/1.1 | CLOSE                 | false",
        "HTTP/1.1 | foo, close            | false",
        "HTTP/1.1 | close, foo            | false",
        "HTTP/1.1 | '  foo ,\tclose  '    | false",
        "HTTP/1.1 | ,close,              | false",
        "HTTP/1.1 | keep-alive, close     | false",
        "HTTP/1.1 | foo + close           | false",
        "HTTP/1.1 | keep-alive            | true",
        "HTTP/1.1 | Upgrade               | true",
        "HTTP/1.1 | closed                | true",
        "HTTP/1.1 | close-me, foo         | true",
        "HTTP/1.1 | ''                    | true",
        "HTTP/1.2 | NONE                  | true",
        "HTTP/1.0 | NONE                  | false",
        "HTTP/1.0 | keep-alive            | true",
        "HTTP/1.0 | Keep-Alive            | true",
        "HTTP/1.0 | foo, keep-alive       | true",
        "HTTP/1.0 | foo + keep-alive      | true",
        "HTTP/1.0 | keep-alive, close     | false",
        "HTTP/1.0 | keep-alive + close    | false",
        "HTTP/1.0 | keep-alives           | false",
        "HTTP/1.0 | close                 | false",
        "HTTP/1.0 | ''                    | false",
    })
    void keepAlive(String version, String connection, boolean expected) {
        StringBuilder request = new StringBuilder("GET / " + version + "\r\nHost: h\r\n");
        if (connection != null) {
            for (String field : connection.split(" \\+ ", -1)) {
                request.append("Connection: ").append(field).append("\r\n");
            }
        }
        request.append("\r\n");
        Outcome outcome = runAllWays(request.toString());
        assertEquals(1, outcome.heads().size(), outcome.toString());
        assertEquals(expected, outcome.heads().get(0).keepAlive());
    }

    // ---- errors in the head ----

    static Stream<Arguments> headErrors() {
        String cl = "Content-Length: ";
        String te = "Transfer-Encoding: ";
        return Stream.of(
            // bare CR (RFC 9112 §2.2)
            Arguments.of("bare CR in request line", "GET /\r HTTP/1.1\r\nHost: h\r\n\r\n", 400),
            Arguments.of("CR CR LF after request line", "GET / HTTP/1.1\r\r\nHost: h\r\n\r\n", 400),
            Arguments.of("CR alone ends request line", "GET / HTTP/1.1\rHost: h\r\n\r\n", 400),
            Arguments.of("bare CR in a value", get("X: a\rb\r\n"), 400),
            Arguments.of("CR CR LF after a field", get("X: a\r\r\n"), 400),
            Arguments.of("CR alone ends a field", get("X: a\rY: b\r\n"), 400),
            Arguments.of("CR CR LF ends the head", "GET / HTTP/1.1\r\nHost: h\r\n\r\r\n", 400),
            Arguments.of("bare CR in a name", get("X\rY: a\r\n"), 400),
            // obs-fold and whitespace at the start of a field line (§5.2, §2.2)
            Arguments.of("obs-fold with SP", get("X: a\r\n b\r\n"), 400),
            Arguments.of("obs-fold with HTAB", get("X: a\r\n\tb\r\n"), 400),
            Arguments.of("whitespace before first field", "GET / HTTP/1.1\r\n Host: h\r\n\r\n", 400),
            // whitespace between name and colon (§5.1)
            Arguments.of("SP before colon", "GET / HTTP/1.1\r\nHost : h\r\n\r\n", 400),
            Arguments.of("HTAB before colon", get("X\t: a\r\n"), 400),
            // field names must be tokens
            Arguments.of("SP inside name", get("X Y: a\r\n"), 400),
            Arguments.of("paren in name", get("X(y): a\r\n"), 400),
            Arguments.of("slash in name", get("X/y: a\r\n"), 400),
            Arguments.of("at in name", get("X@y: a\r\n"), 400),
            Arguments.of("quote in name", get("\"X\": a\r\n"), 400),
            Arguments.of("brace in name", get("X{: a\r\n"), 400),
            Arguments.of("semicolon in name", get("X;: a\r\n"), 400),
            Arguments.of("obs-text in name", get("X\u00e9: a\r\n"), 400),
            Arguments.of("NUL in name", get("X\u0000: a\r\n"), 400),
            Arguments.of("DEL in name", get("X\u007f: a\r\n"), 400),
            Arguments.of("empty name", get(": a\r\n"), 400),
            Arguments.of("no colon", get("NoColonHere\r\n"), 400),
            // field values: no controls but HTAB, no DEL (§5.5)
            Arguments.of("NUL in value", get("X: a\u0000b\r\n"), 400),
            Arguments.of("NUL alone in value", get("X: \u0000\r\n"), 400),
            Arguments.of("SOH in value", get("X: \u0001\r\n"), 400),
            Arguments.of("US in value", get("X: a\u001fb\r\n"), 400),
            Arguments.of("VT in value", get("X: a\u000bb\r\n"), 400),
            Arguments.of("FF in value", get("X: a\u000cb\r\n"), 400),
            Arguments.of("ESC in value", get("X: \u001b[31m\r\n"), 400),
            Arguments.of("DEL in value", get("X: a\u007fb\r\n"), 400),
            Arguments.of("DEL at end of value", get("X: a\u007f\r\n"), 400),
            Arguments.of("NUL in Host", "GET / HTTP/1.1\r\nHost: h\u0000\r\n\r\n", 400),
            // framing (§6.1, §6.3)
            Arguments.of("CL then TE", get(cl + "5\r\n" + te + "chunked\r\n"), 400),
            Arguments.of("TE then CL", get(te + "chunked\r\n" + cl + "5\r\n"), 400),
            Arguments.of("CL 0 and TE", get(cl + "0\r\n" + te + "chunked\r\n"), 400),
            Arguments.of("differing CL in one field", get(cl + "5, 6\r\n"), 400),
            Arguments.of("differing CL in two fields", get(cl + "5\r\n" + cl + "6\r\n"), 400),
            Arguments.of("differing CL, last differs", get(cl + "5, 5, 6\r\n"), 400),
            Arguments.of("CL list and field differ", get(cl + "5, 5\r\n" + cl + "7\r\n"), 400),
            Arguments.of("CL not numeric", get(cl + "abc\r\n"), 400),
            Arguments.of("CL negative", get(cl + "-5\r\n"), 400),
            Arguments.of("CL plus sign", get(cl + "+5\r\n"), 400),
            Arguments.of("CL empty", get(cl + "\r\n"), 400),
            Arguments.of("CL only whitespace", get(cl + " \t \r\n"), 400),
            Arguments.of("CL with inner SP", get(cl + "5 5\r\n"), 400),
            Arguments.of("CL hex", get(cl + "0x10\r\n"), 400),
            Arguments.of("CL decimal point", get(cl + "5.0\r\n"), 400),
            Arguments.of("CL exponent", get(cl + "1e3\r\n"), 400),
            Arguments.of("CL empty list element", get(cl + "5,,5\r\n"), 400),
            Arguments.of("CL leading comma", get(cl + ",5\r\n"), 400),
            Arguments.of("CL trailing comma", get(cl + "5,\r\n"), 400),
            Arguments.of("CL 19 digits", get(cl + "1000000000000000000\r\n"), 400),
            Arguments.of("CL 19 digits overflowing", get(cl + "9223372036854775808\r\n"), 400),
            Arguments.of("CL 30 digits", get(cl + "000000000000000000000000000005\r\n"), 400),
            Arguments.of("CL full-width digit", get(cl + "\u00b9\r\n"), 400),
            Arguments.of("TE chunked then gzip", get(te + "chunked, gzip\r\n"), 400),
            Arguments.of("TE gzip alone", get(te + "gzip\r\n"), 400),
            Arguments.of("TE identity", get(te + "identity\r\n"), 400),
            Arguments.of("TE chunked field then gzip field", get(te + "chunked\r\n" + te + "gzip\r\n"), 400),
            Arguments.of("TE empty", get(te + "\r\n"), 400),
            Arguments.of("TE only commas", get(te + " , ,\r\n"), 400),
            Arguments.of("TE chunked with parameter", get(te + "chunked;q=1\r\n"), 400),
            Arguments.of("TE gzip then chunked", get(te + "gzip, chunked\r\n"), 501),
            Arguments.of("TE unknown then chunked", get(te + "foo, chunked\r\n"), 501),
            Arguments.of("TE gzip field then chunked field", get(te + "gzip\r\n" + te + "chunked\r\n"), 501),
            Arguments.of("TE chunked twice", get(te + "chunked, chunked\r\n"), 400),
            Arguments.of("TE chunked in two fields", get(te + "chunked\r\n" + te + "chunked\r\n"), 400),
            Arguments.of("TE chunked, gzip, chunked", get(te + "chunked, gzip, chunked\r\n"), 400),
            Arguments.of("TE in HTTP/1.0", "GET / HTTP/1.0\r\n" + te + "chunked\r\n\r\n", 400),
            Arguments.of("TE and CL in HTTP/1.0", "GET / HTTP/1.0\r\n" + te + "chunked\r\n" + cl + "1\r\n\r\n",
                    400),
            // Host (RFC 9112 §3.2)
            Arguments.of("no Host in 1.1", "GET / HTTP/1.1\r\n\r\n", 400),
            Arguments.of("no Host but Hosts", "GET / HTTP/1.1\r\nHosts: h\r\n\r\n", 400),
            Arguments.of("two Host fields", get("Host: h\r\n"), 400),
            Arguments.of("two Host fields, differing case", "GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n", 400),
            Arguments.of("two Host fields in 1.0", "GET / HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n", 400),
            Arguments.of("SP in Host", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400),
            Arguments.of("slash in Host", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400),
            Arguments.of("userinfo in Host", "GET / HTTP/1.1\r\nHost: u@h\r\n\r\n", 400),
            Arguments.of("backslash in Host", "GET / HTTP/1.1\r\nHost: a\\b\r\n\r\n", 400),
            Arguments.of("quote in Host", "GET / HTTP/1.1\r\nHost: \"h\"\r\n\r\n", 400),
            Arguments.of("angle brackets in Host", "GET / HTTP/1.1\r\nHost: <h>\r\n\r\n", 400),
            Arguments.of("obs-text in Host", "GET / HTTP/1.1\r\nHost: caf\u00e9\r\n\r\n", 400),
            Arguments.of("HTAB inside Host", "GET / HTTP/1.1\r\nHost: a\tb\r\n\r\n", 400),
            Arguments.of("invalid Host in 1.0", "GET / HTTP/1.0\r\nHost: a b\r\n\r\n", 400),
            // Expect (RFC 9110 §10.1.1)
            Arguments.of("unknown expectation", get("Expect: foo\r\n"), 417),
            Arguments.of("100-continue and more", get("Expect: 100-continue, foo\r\n"), 417),
            Arguments.of("100-continued", get("Expect: 100-continued\r\n"), 417),
            Arguments.of("empty expectation", get("Expect:\r\n"), 417),
            Arguments.of("second Expect unknown", get("Expect: 100-continue\r\nExpect: x\r\n"), 417),
            // HTTP version (RFC 9112 §2.3)
            Arguments.of("HTTP/2.0", "GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505),
            Arguments.of("HTTP/0.9", "GET / HTTP/0.9\r\nHost: h\r\n\r\n", 505),
            Arguments.of("HTTP/3.0", "GET / HTTP/3.0\r\nHost: h\r\n\r\n", 505),
            Arguments.of("HTTP/9.9", "GET / HTTP/9.9\r\n\r\n", 505),
            Arguments.of("lowercase http", "GET / http/1.1\r\nHost: h\r\n\r\n", 400),
            Arguments.of("mixed-case Http", "GET / Http/1.1\r\nHost: h\r\n\r\n", 400),
            Arguments.of("HTTP/1", "GET / HTTP/1\r\nHost: h\r\n\r\n", 400),
            Arguments.of("HTTP/1.", "GET / HTTP/1.\r\nHost: h\r\n\r\n", 400),
            Arguments.of("HTTP/11", "GET / HTTP/11\r\nHost: h\r\n\r\n", 400),
            Arguments.of("HTTP/1.10", "GET / HTTP/1.10\r\nHost: h\r\n\r\n", 400),
            Arguments.of("HTTP/1.1.1", "GET / HTTP/1.1.1\r\nHost: h\r\n\r\n", 400),
            Arguments.of("HTTP/1.x", "GET / HTTP/1.x\r\nHost: h\r\n\r\n", 400),
            Arguments.of("HTTP/x.1", "GET / HTTP/x.1\r\nHost: h\r\n\r\n", 400),
            Arguments.of("HTTP/1,1", "GET / HTTP/1,1\r\nHost: h\r\n\r\n", 400),
            Arguments.of("HTTPS/1.1", "GET / HTTPS/1.1\r\nHost: h\r\n\r\n", 400),
            Arguments.of("HTTP 1.1", "GET / HTTP 1.1\r\nHost: h\r\n\r\n", 400),
            Arguments.of("no version (HTTP/0.9 simple request)", "GET /\r\n\r\n", 400),
            Arguments.of("SP after version", "GET / HTTP/1.1 \r\nHost: h\r\n\r\n", 400),
            Arguments.of("HTAB after version", "GET / HTTP/1.1\t\r\nHost: h\r\n\r\n", 400),
            // request line (RFC 9112 §3)
            Arguments.of("double SP before target", "GET  / HTTP/1.1\r\nHost: h\r\n\r\n", 400),
            Arguments.of("double SP before version", "GET /  HTTP/1.1\r\nHost: h\r\n\r\n", 400),
            Arguments.of("HTAB as separator", "GET\t/ HTTP/1.1\r\nHost: h\r\n\r\n", 400),
            Arguments.of("leading SP", " GET / HTTP/1.1\r\nHost: h\r\n\r\n", 400),
            Arguments.of("empty method", " / HTTP/1.1\r\nHost: h\r\n\r\n", 400),
            Arguments.of("empty target", "GET  HTTP/1.1\r\nHost: h\r\n\r\n", 400),
            Arguments.of("no SP at all", "GET/HTTP/1.1\r\nHost: h\r\n\r\n", 400),
            Arguments.of("method only", "GET\r\n\r\n", 400),
            Arguments.of("non-token method", "GE(T / HTTP/1.1\r\nHost: h\r\n\r\n", 400),
            Arguments.of("obs-text in method", "G\u00c9T / HTTP/1.1\r\nHost: h\r\n\r\n", 400),
            Arguments.of("SP inside target", "GET /a b HTTP/1.1\r\nHost: h\r\n\r\n", 400),
            Arguments.of("NUL in target", "GET /a\u0000 HTTP/1.1\r\nHost: h\r\n\r\n", 400),
            Arguments.of("SOH in target", "GET /\u0001 HTTP/1.1\r\nHost: h\r\n\r\n", 400),
            Arguments.of("DEL in target", "GET /\u007f HTTP/1.1\r\nHost: h\r\n\r\n", 400),
            Arguments.of("HTAB in target", "GET /a\tb HTTP/1.1\r\nHost: h\r\n\r\n", 400),
            Arguments.of("17 empty lines first", repeat("\r\n", 17) + "GET / HTTP/1.1\r\nHost: h\r\n\r\n", 400),
            Arguments.of("17 LF-only empty lines first", repeat("\n", 17) + "GET / HTTP/1.1\r\nHost: h\r\n\r\n",
                    400),
            Arguments.of("whitespace-only line first", " \r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n", 400)
        );
    }

    @ParameterizedTest(name = "[{index}] {0} -> {2}")
    @MethodSource("headErrors")
    void headErrorsHaveTheirStatus(String name, String request, int status) {
        Outcome outcome = runAllWays(request);
        assertEquals(ERROR, outcome.last(), name + ": " + outcome);
        assertEquals(status, outcome.errorStatus(), name);
        assertTrue(outcome.heads().isEmpty(), name);
        assertFalse(outcome.errorInBody(), name);
    }

    @Test
    void anErrorAfterAValidRequestLeavesThatRequestComplete() {
        Outcome outcome = runAllWays("GET /ok HTTP/1.1\r\nHost: h\r\n\r\nGET /bad HTTP/1.1\r\nHost: h\r\nX : y\r\n\r\n");
        assertEquals(List.of("/ok"), outcome.heads().stream().map(Head::target).toList());
        assertEquals(400, outcome.errorStatus());
        assertFalse(outcome.errorInBody());
    }

    // ---- accepted edge cases ----

    @Test
    void equalContentLengthDuplicatesAreAccepted() {
        for (String fields : List.of("Content-Length: 5, 5\r\n", "Content-Length: 5\r\nContent-Length: 5\r\n",
                "Content-Length: 5 ,\t5 , 5\r\n", "content-length: 5\r\nCONTENT-LENGTH: 5,5\r\n",
                "Content-Length: 005\r\n", "Content-Length: 5\r\nContent-Length: 05\r\n")) {
            Outcome outcome = runAllWays(get(fields) + "12345" + "GET /next HTTP/1.1\r\nHost: h\r\n\r\n");
            assertEquals(2, outcome.heads().size(), fields + outcome);
            assertEquals(5, outcome.heads().get(0).contentLength(), fields);
            assertEquals("/next", outcome.heads().get(1).target(), fields);
            assertEquals(NEED_MORE, outcome.last());
        }
    }

    @Test
    void eighteenDigitContentLengthIsANumberNotASyntaxError() {
        ParseLimits unlimited = new ParseLimits(8192, 16384, 100, Long.MAX_VALUE);
        Outcome outcome = runAllWays(unlimited, get("Content-Length: 999999999999999999\r\n"));
        assertEquals(999_999_999_999_999_999L, outcome.heads().get(0).contentLength());
        // with the default limits the same length is merely too large
        assertEquals(413, runAllWays(get("Content-Length: 999999999999999999\r\n")).errorStatus());
    }

    @Test
    void contentLengthZeroHasNoBody() {
        RequestHead head = ParserRun.parseHead(get("Content-Length: 0\r\n"));
        assertEquals(0, head.contentLength());
        assertFalse(head.hasBody());
        assertFalse(head.chunked());
        RequestHead none = ParserRun.parseHead(get(""));
        assertEquals(-1, none.contentLength());
        assertFalse(none.hasBody());
        RequestHead some = ParserRun.parseHead(get("Content-Length: 1\r\n"));
        assertTrue(some.hasBody());
    }

    @ParameterizedTest
    @ValueSource(strings = {"chunked", "Chunked", "CHUNKED", " , chunked", "chunked ,", "\tchunked\t"})
    void chunkedIsRecognisedCaseInsensitivelyAndWithEmptyListElements(String value) {
        Outcome outcome = runAllWays(get("Transfer-Encoding: " + value + "\r\n") + "0\r\n\r\n");
        assertEquals(1, outcome.heads().size(), outcome.toString());
        assertTrue(outcome.heads().get(0).chunked());
        assertEquals(-1, outcome.heads().get(0).contentLength());
        assertEquals(NEED_MORE, outcome.last());
    }

    @Test
    void expectations() {
        assertTrue(ParserRun.parseHead(get("Expect: 100-continue\r\n")).expectsContinue());
        assertTrue(ParserRun.parseHead(get("Expect: 100-Continue\r\n")).expectsContinue());
        assertFalse(ParserRun.parseHead(get("")).expectsContinue());
        // HTTP/1.0: expectations are ignored, 100-continue included (RFC 9110 §10.1.1)
        assertFalse(ParserRun.parseHead("GET / HTTP/1.0\r\nExpect: foo\r\n\r\n").expectsContinue());
        assertFalse(ParserRun.parseHead("GET / HTTP/1.0\r\nExpect: 100-continue\r\n\r\n").expectsContinue());
    }

    @Test
    void hostForms() {
        for (String host : List.of("", "example.com", "example.com:8080", "[::1]:8080", "[v1.fe80::a+en1]",
                "192.0.2.1", "xn--n3h.example", "a-b_c~d!$&'()*+,;=", "%41%42")) {
            Outcome outcome = runAllWays("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
            assertEquals(1, outcome.heads().size(), host + " " + outcome);
        }
        // HTTP/1.0 needs no Host
        assertEquals(1, runAllWays("GET / HTTP/1.0\r\n\r\n").heads().size());
    }

    @Test
    void versionsAndMethods() {
        assertEquals(HttpVersion.HTTP_1_1, ParserRun.parseHead("GET / HTTP/1.2\r\nHost: h\r\n\r\n").version());
        assertEquals(HttpVersion.HTTP_1_1, ParserRun.parseHead("GET / HTTP/1.9\r\nHost: h\r\n\r\n").version());
        assertEquals(HttpVersion.HTTP_1_0, ParserRun.parseHead("GET / HTTP/1.0\r\n\r\n").version());
        RequestHead unknown = ParserRun.parseHead("BREW /pot HTTP/1.1\r\nHost: h\r\n\r\n");
        assertEquals(Method.UNKNOWN, unknown.method());
        assertEquals("BREW", unknown.methodName());
        // method names are case-sensitive (RFC 9110 §9.1)
        assertEquals(Method.UNKNOWN, ParserRun.parseHead("get / HTTP/1.1\r\nHost: h\r\n\r\n").method());
        assertEquals(Method.PROPFIND, ParserRun.parseHead("PROPFIND / HTTP/1.1\r\nHost: h\r\n\r\n").method());
        RequestHead tokens = ParserRun.parseHead("!#$%&'*+-.^_`|~09azAZ / HTTP/1.1\r\nHost: h\r\n\r\n");
        assertEquals("!#$%&'*+-.^_`|~09azAZ", tokens.methodName());
        assertEquals("!#$%&'*+-.^_`|~09azAZ / HTTP/1.1", tokens.toString());
    }

    @Test
    void targetsKeepEveryVisibleCharacterAndRawBytes() {
        String target = "/a/b?c=d&e=%2F;f,g[h]@i!$'()*+~\u00c3\u00af\"<>{}|\\^`";
        assertEquals(target, ParserRun.parseHead("GET " + target + " HTTP/1.1\r\nHost: h\r\n\r\n").target());
        assertEquals("http://h/x", ParserRun.parseHead("GET http://h/x HTTP/1.1\r\nHost: h\r\n\r\n").target());
        assertEquals("*", ParserRun.parseHead("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n").target());
    }

    @Test
    void fieldNamesMayUseEveryTokenCharacterAndValuesEveryVisibleByte() {
        StringBuilder value = new StringBuilder();
        for (char c = 0x21; c <= 0xFF; c++) {
            if (c != 0x7F) {
                value.append(c);
            }
            if (c == 0x50) {
                value.append(" \t ");
            }
        }
        RequestHead head = ParserRun.parseHead(get("!#$%&'*+-.^_`|~09azAZ:" + value + "\r\n"));
        assertEquals(value.toString(), head.header("!#$%&'*+-.^_`|~09AZaz"));
    }

    @Test
    void sixteenEmptyLinesBeforeTheRequestAreIgnored() {
        String prefix = repeat("\r\n", 8) + repeat("\n", 8);
        Outcome outcome = runAllWays(prefix + "GET /x HTTP/1.1\r\nHost: h\r\n\r\n");
        assertEquals(List.of("/x"), outcome.heads().stream().map(Head::target).toList());
        // the count starts again for every request
        Outcome two = runAllWays(prefix + "GET /x HTTP/1.1\r\nHost: h\r\n\r\n" + prefix
                + "GET /y HTTP/1.1\r\nHost: h\r\n\r\n");
        assertEquals(List.of("/x", "/y"), two.heads().stream().map(Head::target).toList());
    }

    // ---- limits ----

    private static final ParseLimits SMALL = new ParseLimits(32, 64, 4, 10);

    /** A request line of exactly {@code length} bytes (before its line end). */
    private static String requestLine(int length) {
        String line = "GET /" + "a".repeat(length - "GET / HTTP/1.1".length()) + " HTTP/1.1";
        assertEquals(length, line.length());
        return line;
    }

    @ParameterizedTest
    @ValueSource(strings = {"\r\n", "\n"})
    void requestLineOfExactlyTheLimitIsAcceptedOneMoreIs414(String eol) {
        Outcome ok = runAllWays(SMALL, requestLine(32) + eol + "Host: h" + eol + eol);
        assertEquals(1, ok.heads().size(), ok.toString());
        Outcome tooLong = runAllWays(SMALL, requestLine(33) + eol + "Host: h" + eol + eol);
        assertEquals(414, tooLong.errorStatus());
        // 414 is known as soon as the line is too long, before its end arrives
        Outcome early = runAllWays(SMALL, requestLine(33).substring(0, 33));
        assertEquals(414, early.errorStatus());
        Outcome atLimit = runAllWays(SMALL, requestLine(32) + "\r");
        assertEquals(NEED_MORE, atLimit.last());
    }

    @Test
    void requestLineOverTheDefaultLimitIs414() {
        Outcome outcome = runAllWays(requestLine(8 * 1024 + 1) + "\r\nHost: h\r\n\r\n");
        assertEquals(414, outcome.errorStatus());
        assertEquals(1, runAllWays(requestLine(8 * 1024) + "\r\nHost: h\r\n\r\n").heads().size());
    }

    /** Field lines making a header section (counted with all line ends and the final empty line) of {@code size}. */
    private static String headerSection(int size, String eol) {
        String host = "Host: h" + eol;
        int padLength = size - host.length() - eol.length() - ("X: " + eol).length();
        assertTrue(padLength >= 0);
        String section = host + "X: " + "v".repeat(padLength) + eol + eol;
        assertEquals(size, section.length());
        return section;
    }

    @ParameterizedTest
    @ValueSource(strings = {"\r\n", "\n"})
    void headerSectionOfExactlyTheLimitIsAcceptedOneMoreIs431(String eol) {
        String line = "GET / HTTP/1.1" + eol;
        Outcome ok = runAllWays(SMALL, line + headerSection(64, eol));
        assertEquals(1, ok.heads().size(), ok.toString());
        Outcome tooLarge = runAllWays(SMALL, line + headerSection(65, eol));
        assertEquals(431, tooLarge.errorStatus());
        // also when the section is too large before its end arrives
        String partial = line + headerSection(100, eol);
        assertEquals(431, runAllWays(SMALL, partial.substring(0, line.length() + 70)).errorStatus());
    }

    @Test
    void headerSectionOverTheDefaultLimitIs431() {
        String big = "X: " + "v".repeat(16 * 1024) + "\r\n";
        assertEquals(431, runAllWays(get(big)).errorStatus());
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 90; i++) {
            many.append("X-Field-").append(i).append(": ").append("v".repeat(200)).append("\r\n");
        }
        assertEquals(431, runAllWays(get(many.toString())).errorStatus());
    }

    @Test
    void atMostMaxHeaderCountFields() {
        String four = "GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n";
        assertEquals(4, runAllWays(SMALL, four).heads().get(0).fields().size());
        String five = "GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n";
        assertEquals(431, runAllWays(SMALL, five).errorStatus());
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            many.append("F").append(i).append(": x\r\n");
        }
        assertEquals(431, runAllWays(get(many.toString())).errorStatus());
        assertEquals(1, runAllWays(get(many.substring(0, many.lastIndexOf("F99")))).heads().size());
    }

    @Test
    void contentLengthOverMaxDiscardedBodyIs413BeforeAnyBodyByte() {
        assertEquals(413, runAllWays(SMALL, "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n").errorStatus());
        Outcome ok = runAllWays(SMALL, "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n0123456789");
        assertEquals(1, ok.heads().size());
        assertEquals(NEED_MORE, ok.last());
        assertEquals(413, runAllWays(get("Content-Length: 65537\r\n")).errorStatus());
    }

    // ---- chunked bodies ----

    private static final String CHUNKED_HEAD = get("Transfer-Encoding: chunked\r\n");

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "0\r\n\r\n",
        "0\n\n",
        "000\r\n\r\n",
        "5\r\nhello\r\n0\r\n\r\n",
        "5\nhello\n0\n\n",
        "a\r\n0123456789\r\n0\r\n\r\n",
        "A\r\n0123456789\r\n0\r\n\r\n",
        "00000A\r\n0123456789\r\n0\r\n\r\n",
        "5;ext\r\nhello\r\n0;last\r\n\r\n",
        "5 ;ext=\"quoted; value\"\r\nhello\r\n0\r\n\r\n",
        "5\t;a=b;c\r\nhello\r\n0\r\n\r\n",
        "4\r\n\r\n\r\n\r\n0\r\n\r\n",
        "3\r\n0\r\n\r\n0\r\n\r\n",
        "0\r\nTrailer-One: 1\r\nTrailer-Two:\r\n\r\n",
        "0\r\nX: v\u00e9\tw\r\n\r\n",
    })
    void validChunkedBodiesAreSkippedExactly(String body) {
        String next = "GET /next HTTP/1.1\r\nHost: h\r\n\r\n";
        Outcome outcome = runAllWays(CHUNKED_HEAD + body + next);
        assertEquals(List.of("/", "/next"), outcome.heads().stream().map(Head::target).toList(), outcome.toString());
        assertEquals(CHUNKED_HEAD.length() + body.length() + next.length(), outcome.heads().get(1).end());
        assertEquals(NEED_MORE, outcome.last());
    }

    static Stream<Arguments> bodyErrors() {
        return Stream.of(
            Arguments.of("non-hex size", "g\r\n", 400),
            Arguments.of("empty size", "\r\n", 400),
            Arguments.of("negative size", "-1\r\n", 400),
            Arguments.of("0x prefix", "0x5\r\n", 400),
            Arguments.of("plus sign", "+5\r\n", 400),
            Arguments.of("leading SP", " 5\r\n", 400),
            Arguments.of("junk after size", "5 x\r\n", 400),
            Arguments.of("junk right after size", "5x\r\n", 400),
            Arguments.of("size only whitespace", " \r\n", 400),
            Arguments.of("control in extension", "5;a\u0001\r\n", 400),
            Arguments.of("NUL in extension", "5;\u0000\r\n", 400),
            Arguments.of("DEL in extension", "5;a=\u007f\r\n", 400),
            Arguments.of("16 hex digits", "1000000000000000\r\n", 400),
            Arguments.of("huge size", "ffffffffffffffffffff\r\n", 400),
            Arguments.of("bare CR in size line", "5\rx\n", 400),
            Arguments.of("CR alone ends size line", "5\rhello\r\n", 400),
            Arguments.of("size line over 1024 bytes", "1;" + "a".repeat(1100) + "\r\n", 400),
            Arguments.of("data longer than size", "5\r\nhelloX\r\n0\r\n\r\n", 400),
            Arguments.of("data shorter than size", "3\r\nabcd\r\n0\r\n\r\n", 400),
            Arguments.of("CR not followed by LF after data", "5\r\nhello\rX", 400),
            Arguments.of("two CRs after data", "5\r\nhello\r\r\n", 400),
            Arguments.of("space after data", "5\r\nhello \r\n", 400),
            Arguments.of("trailer without colon", "0\r\nBad Trailer\r\n\r\n", 400),
            Arguments.of("folded trailer", "0\r\nX: a\r\n b\r\n\r\n", 400),
            Arguments.of("trailer starting with SP", "0\r\n X: a\r\n\r\n", 400),
            Arguments.of("SP before colon in trailer", "0\r\nX : a\r\n\r\n", 400),
            Arguments.of("NUL in trailer", "0\r\nX: a\u0000\r\n\r\n", 400),
            Arguments.of("bare CR in trailer", "0\r\nX: a\rb\r\n\r\n", 400),
            Arguments.of("empty trailer name", "0\r\n: a\r\n\r\n", 400),
            Arguments.of("trailer section too large", "0\r\nX: " + "v".repeat(20000) + "\r\n\r\n", 431)
        );
    }

    @ParameterizedTest(name = "[{index}] {0} -> {2}")
    @MethodSource("bodyErrors")
    void bodyErrorsComeAfterTheHeadAndReportInBody(String name, String body, int status) {
        Outcome outcome = runAllWays(CHUNKED_HEAD + body);
        assertEquals(1, outcome.heads().size(), name + outcome);
        assertEquals(ERROR, outcome.last(), name + outcome);
        assertEquals(status, outcome.errorStatus(), name);
        // the response to the request was already sent: the connection must close, not answer again
        assertTrue(outcome.errorInBody(), name + ": inBody() false after an error in the body");
    }

    @Test
    void chunkedBodyOverMaxDiscardedBodyIs413() {
        String head = "GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
        Outcome ok = runAllWays(SMALL, head + "5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n");
        assertEquals(NEED_MORE, ok.last());
        Outcome over = runAllWays(SMALL, head + "5\r\nhello\r\n6\r\nworld!\r\n0\r\n\r\n");
        assertEquals(413, over.errorStatus());
        assertTrue(over.errorInBody());
        // known from the size line alone, before any of the chunk's data
        assertEquals(413, runAllWays(SMALL, head + "b\r\n").errorStatus());
        assertEquals(413, runAllWays(head + "fffffffffffffff\r\n").errorStatus());
    }

    // ---- idle and body states ----

    @Test
    void idleAndBodyTransitions() {
        RequestParser parser = new RequestParser(ParseLimits.DEFAULTS);
        assertTrue(parser.isIdle());
        assertFalse(parser.inBody());
        assertEquals(NEED_MORE, parser.parse(ByteBuffer.allocate(0)));
        assertTrue(parser.isIdle());

        // an empty line before a request is already a byte of it
        assertEquals(NEED_MORE, parser.parse(ByteBuffer.wrap(bytes("\r\n"))));
        assertFalse(parser.isIdle());
        assertEquals(NEED_MORE, parser.parse(ByteBuffer.wrap(bytes("GET / HT"))));
        assertFalse(parser.isIdle());
        assertFalse(parser.inBody());

        // head with a 3-byte body
        ByteBuffer in = ByteBuffer.wrap(bytes("TP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\n"));
        assertEquals(HEAD_COMPLETE, parser.parse(in));
        assertFalse(parser.isIdle());
        assertFalse(parser.inBody());
        assertEquals(NEED_MORE, parser.parse(in));
        assertTrue(parser.inBody());
        assertFalse(parser.isIdle());
        assertEquals(NEED_MORE, parser.parse(ByteBuffer.wrap(bytes("ab"))));
        assertTrue(parser.inBody());
        assertEquals(NEED_MORE, parser.parse(ByteBuffer.wrap(bytes("c"))));
        assertFalse(parser.inBody());
        assertTrue(parser.isIdle());

        // head without body: idle again on the next call
        assertEquals(HEAD_COMPLETE, parser.parse(ByteBuffer.wrap(bytes("GET / HTTP/1.1\r\nHost: h\r\n\r\n"))));
        assertFalse(parser.isIdle());
        assertEquals(NEED_MORE, parser.parse(ByteBuffer.allocate(0)));
        assertTrue(parser.isIdle());
        assertFalse(parser.inBody());

        // chunked: in the body through the chunks and the trailer section
        assertEquals(HEAD_COMPLETE, parser.parse(ByteBuffer.wrap(bytes(CHUNKED_HEAD))));
        for (String piece : List.of("", "3", "\r\n", "ab", "c", "\r", "\n", "0\r\n", "T: 1\r\n")) {
            assertEquals(NEED_MORE, parser.parse(ByteBuffer.wrap(bytes(piece))), piece);
            assertTrue(parser.inBody(), piece);
            assertFalse(parser.isIdle(), piece);
        }
        assertEquals(NEED_MORE, parser.parse(ByteBuffer.wrap(bytes("\r\n"))));
        assertFalse(parser.inBody());
        assertTrue(parser.isIdle());

        // an error in the head: neither idle nor in a body
        assertEquals(ERROR, parser.parse(ByteBuffer.wrap(bytes("GET / HTTP/1.1\r\nBad Field\r\n"))));
        assertFalse(parser.isIdle());
        assertFalse(parser.inBody());
        assertEquals(400, parser.errorStatus());
    }

    @Test
    void errorInAChunkedBodyKeepsInBody() {
        RequestParser parser = new RequestParser(ParseLimits.DEFAULTS);
        ByteBuffer in = ByteBuffer.wrap(bytes(CHUNKED_HEAD + "zz\r\n"));
        assertEquals(HEAD_COMPLETE, parser.parse(in));
        assertEquals(ERROR, parser.parse(in));
        assertEquals(400, parser.errorStatus());
        assertTrue(parser.inBody());
        assertFalse(parser.isIdle());
    }

    @Test
    void headIsValidUntilTheNextParse() {
        RequestParser parser = new RequestParser(ParseLimits.DEFAULTS);
        ByteBuffer in = ByteBuffer.wrap(bytes("GET /first HTTP/1.1\r\nHost: a\r\n\r\nHEAD /second HTTP/1.0\r\n\r\n"));
        assertEquals(HEAD_COMPLETE, parser.parse(in));
        RequestHead head = parser.head();
        assertEquals("/first", head.target());
        assertEquals("a", head.header("Host"));
        assertEquals(HEAD_COMPLETE, parser.parse(in));
        assertEquals("/second", parser.head().target());
        assertEquals(Method.HEAD, parser.head().method());
        assertEquals(0, parser.head().headerCount());
        assertNull(parser.head().header("Host"));
    }

    // ---- RequestHead accessors ----

    @Test
    void headerLookupIsCaseInsensitiveAndListsCombine() {
        RequestHead head = ParserRun.parseHead("GET / HTTP/1.1\r\n"
                + "Host: h\r\n"
                + "Accept: text/html\r\n"
                + "X-One: 1\r\n"
                + "ACCEPT: application/json ,\r\n"
                + "accept:\r\n"
                + "aCcEpT: */*\r\n"
                + "\r\n");
        assertEquals(6, head.headerCount());
        assertEquals("text/html", head.header("accept"));
        assertEquals("text/html", head.header("ACCEPT"));
        assertEquals("text/html", head.header("Accept"));
        assertEquals("1", head.header("x-one"));
        assertNull(head.header("Accept-Encoding"));
        assertNull(head.header("X-On"));
        assertNull(head.header("X-One2"));
        assertEquals("text/html, application/json ,, , */*", head.headerList("Accept"));
        assertEquals("1", head.headerList("X-ONE"));
        assertNull(head.headerList("missing"));
        assertEquals(4, head.headerCount("accept"));
        assertEquals(1, head.headerCount("HOST"));
        assertEquals(0, head.headerCount("missing"));
        assertEquals("ACCEPT", head.headerName(3));
        assertEquals("application/json ,", head.headerValue(3));
        assertEquals("", head.headerValue(4));
        assertEquals("GET / HTTP/1.1", head.toString());
    }

    @Test
    void manyFieldsGrowTheHead() {
        StringBuilder fields = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            fields.append("F").append(i).append(": v").append(i).append("\r\n");
        }
        RequestHead head = ParserRun.parseHead(get(fields.toString()));
        assertEquals(61, head.headerCount());
        for (int i = 0; i < 60; i++) {
            assertEquals("v" + i, head.header("f" + i));
            assertEquals("F" + i, head.headerName(i + 1));
        }
    }
}
