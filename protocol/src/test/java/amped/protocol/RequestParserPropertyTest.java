package amped.protocol;

import static amped.protocol.ParserRun.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amped.protocol.ParserRun.Head;
import amped.protocol.ParserRun.Outcome;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

class RequestParserPropertyTest {

    /** Every status the parser may answer a malformed request with. */
    private static final Set<Integer> PARSER_STATUSES = Set.of(400, 413, 414, 417, 431, 501, 505);

    private static final ParseLimits SMALL = new ParseLimits(48, 96, 6, 32);

    /** Turns arbitrary numbers into ascending cut positions within an input of {@code length} bytes. */
    private static int[] cuts(List<Integer> raw, int length) {
        return raw.stream().mapToInt(n -> n % (length + 1)).sorted().toArray();
    }

    // ---- (a) arbitrary bytes never make the parser throw or loop ----

    @Property(tries = 600)
    void arbitraryBytesInArbitrarySplitsNeverThrow(@ForAll("noise") byte[] input,
            @ForAll @Size(max = 12) List<@IntRange(min = 0, max = 100_000) Integer> rawCuts,
            @ForAll boolean direct, @ForAll boolean small) {
        ParseLimits limits = small ? SMALL : ParseLimits.DEFAULTS;
        // ParserRun fails the property on an exception, on a call that makes no progress (no termination),
        // on NEED_MORE leaving input behind, and on an ERROR that is not final
        Outcome split = ParserRun.feed(limits, input, direct, cuts(rawCuts, input.length));
        if (split.failed()) {
            assertTrue(PARSER_STATUSES.contains(split.errorStatus()), split.toString());
        } else {
            assertEquals(input.length, split.consumed());
        }
        // an incremental parser must not depend on how its input was split, even for garbage
        assertEquals(ParserRun.feed(limits, input, false), split);
    }

    @Provide
    Arbitrary<byte[]> noise() {
        Arbitrary<byte[]> tokens = Arbitraries.of("GET", "HEAD", " ", "/", "/a", "*", "HTTP/1.1", "HTTP/1.0",
                "HTTP/2.0", "\r\n", "\n", "\r", ":", ": ", "Host: h", "Content-Length: ", "Transfer-Encoding: ",
                "chunked", "gzip", "0", "5", "a", "ff", "\r\n\r\n", "Expect: 100-continue", ";", "\t", "x=y",
                "Connection: close", ",", "\u0000", "\u007f", "\u00e9").map(ParserRun::bytes);
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(6);
        Arbitrary<byte[]> piece = Arbitraries.frequencyOf(
                Tuple.of(4, tokens), Tuple.of(1, random));
        Arbitrary<byte[]> prefix = Arbitraries.of("", "GET / HTTP/1.1\r\nHost: h\r\n",
                "GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\n").map(ParserRun::bytes);
        return prefix.flatMap(p -> piece.list().ofMaxSize(60).map(pieces -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(p);
            pieces.forEach(out::writeBytes);
            return out.toByteArray();
        }));
    }

    // ---- (b) valid requests: the parse follows the model and does not depend on the split ----

    /** Valid requests, pipelined, with the outcome parsing them must have. */
    record Pipeline(byte[] bytes, Outcome expected) {
        @Override
        public String toString() {
            return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    @Property(tries = 600)
    void validRequestsParseAsModelledWhateverTheSplit(@ForAll("pipelines") Pipeline pipeline,
            @ForAll @Size(max = 12) List<@IntRange(min = 0, max = 100_000) Integer> rawCuts,
            @ForAll boolean direct) {
        assertEquals(pipeline.expected(), ParserRun.feed(ParseLimits.DEFAULTS, pipeline.bytes(), false));
        assertEquals(pipeline.expected(), ParserRun.feed(ParseLimits.DEFAULTS, pipeline.bytes(), direct,
                cuts(rawCuts, pipeline.bytes().length)));
    }

    @Property(tries = 60)
    void validRequestsFedOneByteAtATime(@ForAll("pipelines") Pipeline pipeline) {
        assertEquals(pipeline.expected(), ParserRun.bytewise(ParseLimits.DEFAULTS, pipeline.bytes(), false));
    }

    @Provide
    Arbitrary<Pipeline> pipelines() {
        return Arbitraries.randomValue(RequestParserPropertyTest::randomPipeline);
    }

    private static Pipeline randomPipeline(Random r) {
        StringBuilder text = new StringBuilder();
        List<Head> heads = new ArrayList<>();
        int count = 1 + r.nextInt(4);
        for (int i = 0; i < count; i++) {
            randomRequest(r, text, heads);
        }
        byte[] b = bytes(text.toString());
        return new Pipeline(b, new Outcome(List.copyOf(heads), RequestParser.Status.NEED_MORE, 0, false, b.length));
    }

    private static String pick(Random r, String... choices) {
        return choices[r.nextInt(choices.length)];
    }

    private static String eol(Random r) {
        return r.nextInt(4) == 0 ? "\n" : "\r\n";
    }

    private static String randomCase(Random r, String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            out.append(r.nextBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c));
        }
        return out.toString();
    }

    private static final String TCHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private static String randomToken(Random r, int maxLength) {
        StringBuilder out = new StringBuilder();
        int n = 1 + r.nextInt(maxLength);
        for (int i = 0; i < n; i++) {
            out.append(TCHARS.charAt(r.nextInt(TCHARS.length())));
        }
        return out.toString();
    }

    /** A field value without surrounding whitespace: visible ASCII, obs-text, inner SP and HTAB. */
    private static String randomValue(Random r) {
        StringBuilder out = new StringBuilder();
        int n = r.nextInt(12);
        for (int i = 0; i < n; i++) {
            int kind = r.nextInt(10);
            if (kind == 0) {
                out.append(r.nextBoolean() ? ' ' : '\t');
            } else if (kind == 1) {
                out.append((char) (0x80 + r.nextInt(0x80)));
            } else {
                out.append((char) (0x21 + r.nextInt(0x7E - 0x21 + 1)));
            }
        }
        return out.toString().strip();
    }

    private static String ows(Random r) {
        return pick(r, "", "", " ", "  ", "\t", " \t");
    }

    private static String randomBytes(Random r, int n) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            out.append((char) r.nextInt(256));
        }
        return out.toString();
    }

    /** Appends one valid request (head and body) to {@code text} and its expected head to {@code heads}. */
    private static void randomRequest(Random r, StringBuilder text, List<Head> heads) {
        boolean http11 = r.nextInt(3) != 0;
        String method = pick(r, "GET", "GET", "HEAD", "OPTIONS", "POST", "DELETE", "PROPFIND", "BREW", "M-SEARCH");
        String target = pick(r, "/", "/index.html", "/a/b/c?x=1&y=%20", "*", "http://example.com/p?q",
                "/na\u00c3\u00afve", "/%2e%2e/x", "/" + randomToken(r, 10));
        List<String[]> fields = new ArrayList<>();
        for (int i = r.nextInt(6); i > 0; i--) {
            String name = r.nextBoolean()
                    ? randomCase(r, pick(r, "Accept", "User-Agent", "Accept-Encoding", "If-None-Match", "Range"))
                    : "X-" + randomToken(r, 8);
            fields.add(new String[] {name, randomValue(r)});
        }
        if (http11 || r.nextBoolean()) {
            fields.add(r.nextInt(fields.size() + 1),
                    new String[] {randomCase(r, "Host"), pick(r, "example.com", "h:8080", "[::1]", "")});
        }
        boolean close = false;
        boolean keep = false;
        if (r.nextInt(3) == 0) {
            String value = pick(r, "close", "keep-alive", "foo, close", "Keep-Alive", "upgrade", "CLOSE ,x");
            fields.add(r.nextInt(fields.size() + 1), new String[] {randomCase(r, "Connection"), value});
            for (String token : value.split(",")) {
                close |= token.strip().equalsIgnoreCase("close");
                keep |= token.strip().equalsIgnoreCase("keep-alive");
            }
        }
        boolean expect = false;
        if (r.nextInt(5) == 0) {
            fields.add(r.nextInt(fields.size() + 1), new String[] {"Expect", randomCase(r, "100-continue")});
            expect = http11; // ignored in HTTP/1.0
        }
        long contentLength = -1;
        boolean chunked = false;
        String body = "";
        int bodyKind = r.nextInt(http11 ? 4 : 3);
        if (bodyKind == 1) {
            int n = r.nextInt(25);
            contentLength = n;
            String value = r.nextInt(4) == 0 ? n + ", " + n : "0".repeat(r.nextInt(2)) + n;
            fields.add(r.nextInt(fields.size() + 1), new String[] {randomCase(r, "Content-Length"), value});
            body = randomBytes(r, n);
        } else if (bodyKind == 3) {
            chunked = true;
            fields.add(r.nextInt(fields.size() + 1), new String[] {"Transfer-Encoding", randomCase(r, "chunked")});
            StringBuilder b = new StringBuilder();
            for (int i = r.nextInt(4); i > 0; i--) {
                int size = 1 + r.nextInt(12);
                String hex = Integer.toHexString(size);
                b.append("0".repeat(r.nextInt(2))).append(r.nextBoolean() ? hex : hex.toUpperCase(Locale.ROOT))
                        .append(pick(r, "", "", ";a=b", " ; x", ";q=\"s p\""))
                        .append(eol(r)).append(randomBytes(r, size)).append(eol(r));
            }
            b.append("0").append(pick(r, "", ";end")).append(eol(r));
            for (int i = r.nextInt(3); i > 0; i--) {
                b.append("T-").append(randomToken(r, 4)).append(':').append(ows(r)).append(randomValue(r))
                        .append(eol(r));
            }
            body = b.append(eol(r)).toString();
        }

        StringBuilder head = new StringBuilder();
        if (r.nextInt(8) == 0) {
            head.append(eol(r)); // an empty line before the request is ignored
        }
        head.append(method).append(' ').append(target).append(' ').append(http11 ? "HTTP/1.1" : "HTTP/1.0")
                .append(eol(r));
        List<String> expectedFields = new ArrayList<>();
        for (String[] field : fields) {
            head.append(field[0]).append(':').append(ows(r)).append(field[1]).append(ows(r)).append(eol(r));
            expectedFields.add(field[0] + ": " + field[1]);
        }
        head.append(eol(r));

        Method expectedMethod = Arrays.stream(Method.values())
                .filter(m -> m != Method.UNKNOWN && m.name().equals(method)).findFirst().orElse(Method.UNKNOWN);
        int end = text.length() + head.length();
        heads.add(new Head(method, expectedMethod, target, http11 ? HttpVersion.HTTP_1_1 : HttpVersion.HTTP_1_0,
                List.copyOf(expectedFields), !close && (http11 || keep), contentLength, chunked, expect, end));
        text.append(head).append(body);
    }

    // ---- (c) one mutation of valid requests: never a throw, either parsed or a parser status ----

    private static final char[] MUTATION_BYTES = {'\r', '\n', '\u0000', ' ', ':'};

    @Property(tries = 800)
    void singleByteMutationsNeverThrow(@ForAll("pipelines") Pipeline pipeline,
            @ForAll @IntRange(min = 0, max = 2) int kind, @ForAll @IntRange(min = 0, max = 100_000) int where,
            @ForAll @IntRange(min = 0, max = 5) int which, @ForAll byte randomByte,
            @ForAll @Size(max = 8) List<@IntRange(min = 0, max = 100_000) Integer> rawCuts) {
        byte[] original = pipeline.bytes();
        byte b = which < MUTATION_BYTES.length ? (byte) MUTATION_BYTES[which] : randomByte;
        byte[] mutated;
        if (kind == 0) { // insert
            int at = where % (original.length + 1);
            mutated = new byte[original.length + 1];
            System.arraycopy(original, 0, mutated, 0, at);
            mutated[at] = b;
            System.arraycopy(original, at, mutated, at + 1, original.length - at);
        } else if (kind == 1) { // delete
            int at = where % original.length;
            mutated = new byte[original.length - 1];
            System.arraycopy(original, 0, mutated, 0, at);
            System.arraycopy(original, at + 1, mutated, at, original.length - at - 1);
        } else { // replace
            mutated = original.clone();
            mutated[where % original.length] = b;
        }
        Outcome whole = ParserRun.feed(ParseLimits.DEFAULTS, mutated, false);
        if (whole.failed()) {
            assertTrue(PARSER_STATUSES.contains(whole.errorStatus()), whole.toString());
        } else {
            assertEquals(mutated.length, whole.consumed());
        }
        assertEquals(whole, ParserRun.feed(ParseLimits.DEFAULTS, mutated, true, cuts(rawCuts, mutated.length)));
    }

    // ---- (d) memory bound: no head, no error, then few bytes ----

    /**
     * A parser that has neither completed a head nor failed holds at most the request line and the header
     * section read so far. Consumed (not held) on top of that: the request line's CR LF and up to 16 empty
     * lines before the request.
     */
    private static int bound(ParseLimits limits) {
        return limits.maxRequestLine() + limits.maxHeaderBytes() + 2 + 16 * 2;
    }

    @Property(tries = 500)
    @StatisticsReport(onFailureOnly = true)
    void withoutAHeadTheParserErrorsBeforeItHoldsMoreThanTheLimits(@ForAll("probes") byte[] input,
            @ForAll @Size(max = 12) List<@IntRange(min = 0, max = 100_000) Integer> rawCuts) {
        RequestParser parser = new RequestParser(SMALL);
        int fed = 0;
        RequestParser.Status status = RequestParser.Status.NEED_MORE;
        int[] cuts = cuts(rawCuts, input.length);
        for (int piece = 0; piece <= cuts.length && status == RequestParser.Status.NEED_MORE; piece++) {
            int from = piece == 0 ? 0 : cuts[piece - 1];
            int to = piece == cuts.length ? input.length : cuts[piece];
            ByteBuffer in = ByteBuffer.wrap(input, from, to - from);
            status = parser.parse(in);
            fed += in.position() - from;
            if (status == RequestParser.Status.NEED_MORE) {
                assertTrue(fed <= bound(SMALL), "holding " + fed + " bytes without a head or an error");
            }
        }
        if (status == RequestParser.Status.ERROR) {
            assertTrue(PARSER_STATUSES.contains(parser.errorStatus()));
        }
        Statistics.label("outcome").collect(status == RequestParser.Status.ERROR
                ? String.valueOf(parser.errorStatus()) : status.toString());
        Statistics.label("outcome").coverage(coverage -> {
            // the probe must actually reach the limits, or this property proves nothing
            coverage.check("414").percentage(p -> p > 10);
            coverage.check("431").percentage(p -> p > 10);
        });
    }

    /**
     * Heads that never end: a few empty lines, a request line of random length (sometimes unfinished), then
     * field lines of random lengths and counts, with the odd stray byte, so that both limits are reached.
     */
    @Provide
    Arbitrary<byte[]> probes() {
        return Arbitraries.randomValue(r -> {
            StringBuilder s = new StringBuilder();
            for (int i = r.nextInt(4); i > 0; i--) {
                s.append(eol(r));
            }
            s.append(pick(r, "GET", "HEAD", "BREW")).append(" /");
            for (int i = r.nextInt(70); i > 0; i--) {
                s.append(pick(r, "a", "b", "/", "%", ".", "~"));
            }
            if (r.nextInt(5) != 0) {
                s.append(" HTTP/1.1").append(eol(r));
                for (int line = r.nextInt(12); line > 0; line--) {
                    s.append(randomToken(r, 10)).append(':').append(ows(r));
                    for (int i = r.nextInt(40); i > 0; i--) {
                        s.append(r.nextInt(8) == 0 ? ' ' : (char) ('a' + r.nextInt(26)));
                    }
                    if (r.nextInt(40) == 0) {
                        s.append((char) r.nextInt(256));
                    }
                    s.append('x').append(eol(r));
                }
            }
            return bytes(s.toString());
        });
    }

    /**
     * An exact oracle for the limits: a request line of a chosen length, complete field lines of chosen
     * lengths, then either the empty line or part of another field line. The parser must answer 414 when
     * the request line is too long, 431 as soon as the header section (counted with its line ends) cannot
     * fit or there are too many fields, and otherwise complete the head or ask for more.
     */
    @Property(tries = 800)
    @StatisticsReport(onFailureOnly = true)
    void limitsAreExact(@ForAll @IntRange(min = 14, max = 52) int requestLineLength,
            @ForAll @Size(max = 8) List<@IntRange(min = 0, max = 40) Integer> fieldValueLengths,
            @ForAll boolean lfOnly, @ForAll boolean terminated, @ForAll @IntRange(min = 0, max = 40) int partial,
            @ForAll @Size(max = 6) List<@IntRange(min = 0, max = 100_000) Integer> rawCuts) {
        String eol = lfOnly ? "\n" : "\r\n";
        StringBuilder text = new StringBuilder("GET /" + "a".repeat(requestLineLength - 14) + " HTTP/1.1" + eol);
        List<String> lines = new ArrayList<>();
        lines.add("Host: h" + eol);
        for (int i = 0; i < fieldValueLengths.size(); i++) {
            lines.add("X" + i + ": " + "v".repeat(fieldValueLengths.get(i)) + eol);
        }
        lines.forEach(text::append);
        String rest = terminated ? eol : ("Y: " + "w".repeat(40)).substring(0, partial);
        text.append(rest);

        int expected;
        int section = lines.stream().mapToInt(String::length).sum();
        if (requestLineLength > SMALL.maxRequestLine()) {
            expected = 414;
        } else if (lines.size() > SMALL.maxHeaderCount()) {
            expected = 431;
        } else if (terminated) {
            expected = section + eol.length() > SMALL.maxHeaderBytes() ? 431 : 0;
        } else {
            // unfinished: fine while at least the LF ending the partial line (or the empty line) still fits
            expected = section + partial + 1 > SMALL.maxHeaderBytes() ? 431 : -1;
        }
        byte[] input = bytes(text.toString());
        Outcome outcome = ParserRun.feed(SMALL, input, false, cuts(rawCuts, input.length));
        if (expected > 0) {
            assertEquals(RequestParser.Status.ERROR, outcome.last(), outcome.toString());
            assertEquals(expected, outcome.errorStatus());
        } else {
            assertFalse(outcome.failed(), outcome.toString());
            assertEquals(expected == 0 ? 1 : 0, outcome.heads().size());
        }
        Statistics.label("expected").collect(expected);
        Statistics.label("expected").coverage(coverage -> {
            for (int outcomeKind : new int[] {414, 431, 0, -1}) {
                coverage.check(outcomeKind).percentage(p -> p > 5);
            }
        });
    }

    @Property(tries = 200)
    void trailerSectionIsBoundedLikeTheHeaderSection(@ForAll @Size(max = 6) List<@IntRange(min = 0, max = 40) Integer> lengths,
            @ForAll boolean lfOnly) {
        String eol = lfOnly ? "\n" : "\r\n";
        StringBuilder trailer = new StringBuilder();
        for (int i = 0; i < lengths.size(); i++) {
            trailer.append("T").append(i).append(": ").append("v".repeat(lengths.get(i))).append(eol);
        }
        trailer.append(eol);
        String input = "GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0" + eol + trailer;
        Outcome outcome = ParserRun.feed(SMALL, bytes(input), false);
        if (trailer.length() > SMALL.maxHeaderBytes()) {
            assertEquals(431, outcome.errorStatus(), outcome.toString());
            assertTrue(outcome.errorInBody());
        } else {
            assertNotEquals(RequestParser.Status.ERROR, outcome.last(), outcome.toString());
            assertEquals(input.length(), outcome.consumed());
        }
    }
}
