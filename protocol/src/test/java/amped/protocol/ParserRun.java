package amped.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Test driver for {@link RequestParser}: feeds an input in pieces, exactly as a connection would (calling
 * {@code parse} again after every complete head, with the same buffer), and records everything the parser
 * reported as plain values, so that runs over different splits of the same bytes can be compared with
 * {@code equals}. While feeding it checks the parser's contract: NEED_MORE consumes the whole piece, every
 * head consumes at least one byte, and an ERROR is final and consumes nothing more.
 */
final class ParserRun {

    /** One complete head as plain values; {@code end} is the input offset just after the head. */
    record Head(String methodName, Method method, String target, HttpVersion version, List<String> fields,
                boolean keepAlive, long contentLength, boolean chunked, boolean expectsContinue, int end) {

        /** The same head without its position, to compare heads of differently framed inputs. */
        Head atEnd(int newEnd) {
            return new Head(methodName, method, target, version, fields, keepAlive, contentLength, chunked,
                    expectsContinue, newEnd);
        }
    }

    /**
     * Everything a run reported.
     *
     * @param heads       the complete heads, in order
     * @param last        the last status: NEED_MORE when all input was consumed, or ERROR
     * @param errorStatus the error's status code, 0 without error
     * @param errorInBody what {@link RequestParser#inBody()} said right after the error (false without error)
     * @param consumed    input bytes consumed in all
     */
    record Outcome(List<Head> heads, RequestParser.Status last, int errorStatus, boolean errorInBody, int consumed) {

        boolean failed() {
            return last == RequestParser.Status.ERROR;
        }
    }

    private ParserRun() {
    }

    static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    static Outcome whole(ParseLimits limits, String input) {
        return feed(limits, bytes(input), false);
    }

    static Outcome whole(String input) {
        return whole(ParseLimits.DEFAULTS, input);
    }

    static Outcome bytewise(ParseLimits limits, byte[] input, boolean direct) {
        int[] cuts = new int[Math.max(0, input.length - 1)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i + 1;
        }
        return feed(limits, input, direct, cuts);
    }

    /**
     * Feeds {@code input} as the pieces between the ascending {@code cuts} (equal cuts give empty pieces).
     * With {@code direct} each piece is copied into a direct buffer of its own, so nothing may depend on a
     * backing array or on positions being absolute offsets into the input.
     */
    static Outcome feed(ParseLimits limits, byte[] input, boolean direct, int... cuts) {
        RequestParser parser = new RequestParser(limits);
        List<Head> heads = new ArrayList<>();
        int consumed = 0;
        int lastHeadEnd = 0;
        for (int piece = 0; piece <= cuts.length; piece++) {
            int from = piece == 0 ? 0 : cuts[piece - 1];
            int to = piece == cuts.length ? input.length : cuts[piece];
            ByteBuffer in;
            int base;
            if (direct) {
                in = ByteBuffer.allocateDirect(to - from);
                in.put(input, from, to - from).flip();
                base = from;
            } else {
                in = ByteBuffer.wrap(input, from, to - from);
                base = 0;
            }
            int guard = 0;
            while (true) {
                assertTrue(++guard <= input.length + 2, "parser does not make progress");
                int before = in.position();
                RequestParser.Status status = parser.parse(in);
                assertTrue(in.position() >= before && in.position() <= in.limit(), "position moved backwards");
                consumed += in.position() - before;
                if (status == RequestParser.Status.HEAD_COMPLETE) {
                    int end = base + in.position();
                    assertTrue(end > lastHeadEnd, "a head consumed no byte");
                    lastHeadEnd = end;
                    heads.add(snapshot(parser.head(), end));
                    continue;
                }
                if (status == RequestParser.Status.ERROR) {
                    int errorStatus = parser.errorStatus();
                    boolean inBody = parser.inBody();
                    assertTrue(errorStatus >= 400 && errorStatus <= 599, "error status " + errorStatus);
                    assertTrue(parser.errorReason() != null && !parser.errorReason().isEmpty(), "no reason");
                    assertFalse(parser.isIdle(), "idle after an error");
                    // the error is final: asking again consumes nothing and says the same
                    int position = in.position();
                    assertEquals(RequestParser.Status.ERROR, parser.parse(in));
                    assertEquals(RequestParser.Status.ERROR, parser.parse(ByteBuffer.wrap(bytes("GET / HTTP/1.1\r\n"))));
                    assertEquals(position, in.position());
                    assertEquals(errorStatus, parser.errorStatus());
                    return new Outcome(List.copyOf(heads), status, errorStatus, inBody, consumed);
                }
                assertEquals(RequestParser.Status.NEED_MORE, status);
                assertFalse(in.hasRemaining(), "NEED_MORE left input unconsumed");
                break;
            }
        }
        return new Outcome(List.copyOf(heads), RequestParser.Status.NEED_MORE, 0, false, consumed);
    }

    static Head snapshot(RequestHead head, int end) {
        List<String> fields = new ArrayList<>();
        for (int i = 0; i < head.headerCount(); i++) {
            fields.add(head.headerName(i) + ": " + head.headerValue(i));
        }
        return new Head(head.methodName(), head.method(), head.target(), head.version(), List.copyOf(fields),
                head.keepAlive(), head.contentLength(), head.chunked(), head.expectsContinue(), end);
    }

    /** Parses a request text that must hold exactly one complete head and returns the parser's head. */
    static RequestHead parseHead(String request) {
        RequestParser parser = new RequestParser(ParseLimits.DEFAULTS);
        ByteBuffer in = ByteBuffer.wrap(bytes(request));
        RequestParser.Status status = parser.parse(in);
        if (status != RequestParser.Status.HEAD_COMPLETE) {
            fail("not a complete request head (" + status + " " + parser.errorStatus() + " "
                    + parser.errorReason() + "): " + request);
        }
        return parser.head();
    }

    /** The head of {@code method target} with Host and the field lines in {@code fields} ("Name: value", "\n"-joined). */
    static RequestHead request(String method, String target, String fields) {
        StringBuilder text = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: h\r\n");
        if (!fields.isEmpty()) {
            for (String field : fields.split("\n")) {
                text.append(field).append("\r\n");
            }
        }
        return parseHead(text.append("\r\n").toString());
    }
}
