package amped.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResponseHeadTest {

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void exactBytesOfAHead() {
        ResponseHead head = new ResponseHead()
                .start(200)
                .header("Content-Type", "text/plain; charset=utf-8")
                .header("Content-Length", 1234L)
                .header("ETag", "\"abc\"")
                .line(ResponseHead.fieldLine("Server", "amped"))
                .header("X-Empty", "")
                .end();
        String expected = "HTTP/1.1 200 OK\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: 1234\r\n"
                + "ETag: \"abc\"\r\n"
                + "Server: amped\r\n"
                + "X-Empty: \r\n"
                + "\r\n";
        assertArrayEquals(latin1(expected), head.toByteArray());
        assertEquals(expected, head.toString());
        assertEquals(expected.length(), head.length());
        assertEquals(200, head.status());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "200 | HTTP/1.1 200 OK",
        "204 | HTTP/1.1 204 No Content",
        "206 | HTTP/1.1 206 Partial Content",
        "304 | HTTP/1.1 304 Not Modified",
        "400 | HTTP/1.1 400 Bad Request",
        "412 | HTTP/1.1 412 Precondition Failed",
        "413 | HTTP/1.1 413 Content Too Large",
        "414 | HTTP/1.1 414 URI Too Long",
        "416 | HTTP/1.1 416 Range Not Satisfiable",
        "431 | HTTP/1.1 431 Request Header Fields Too Large",
        "505 | HTTP/1.1 505 HTTP Version Not Supported",
        "299 | HTTP/1.1 299 Status 299",
    })
    void statusLines(int status, String line) {
        assertEquals(line + "\r\n\r\n", new ResponseHead().start(status).end().toString());
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 9, 10, 99, 100, 1_000_000_007L, Long.MAX_VALUE, -1, -42})
    void numericValuesAreDecimal(long value) {
        ResponseHead head = new ResponseHead().start(200).header("N", value);
        assertEquals("HTTP/1.1 200 OK\r\nN: " + value + "\r\n", head.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\rb", "a\nb", "\r\n", "ok\r\nSet-Cookie: x=1", "\n", "x\r", "\u0100", "\u20ac"})
    void crLfOrNonLatin1InAValueThrows(String value) {
        ResponseHead head = new ResponseHead().start(200);
        assertThrows(IllegalArgumentException.class, () -> head.header("X", value));
    }

    @Test
    void obsTextAndTabAreWrittenAsLatin1Bytes() {
        ResponseHead head = new ResponseHead().start(200).header("X", "caf\u00e9\tend");
        byte[] bytes = head.toByteArray();
        byte[] expected = latin1("HTTP/1.1 200 OK\r\nX: caf\u00e9\tend\r\n");
        assertArrayEquals(expected, bytes);
        assertEquals((byte) 0xE9, bytes[bytes.length - 7]);
    }

    @Test
    void copyToInPiecesWithOffsets() {
        ResponseHead head = new ResponseHead().start(404).header("Content-Length", 10).end();
        byte[] all = head.toByteArray();
        ByteBuffer target = ByteBuffer.allocate(all.length + 10);
        target.put(latin1("pre"));
        int offset = 0;
        for (int count : new int[] {1, 5, 0, 7}) {
            head.copyTo(target, offset, count);
            offset += count;
        }
        head.copyTo(target, offset, all.length - offset);
        assertEquals(3 + all.length, target.position());
        byte[] written = new byte[target.position()];
        target.flip().get(written);
        assertEquals("pre" + head, new String(written, StandardCharsets.ISO_8859_1));

        ByteBuffer middle = ByteBuffer.allocate(4);
        head.copyTo(middle, 9, 3);
        assertEquals("404", new String(middle.array(), 0, 3, StandardCharsets.ISO_8859_1));
        assertEquals(3, middle.position());
    }

    @Test
    void copyToADirectBuffer() {
        ResponseHead head = new ResponseHead().start(200).header("A", "b").end();
        ByteBuffer direct = ByteBuffer.allocateDirect(head.length());
        head.copyTo(direct, 0, head.length());
        byte[] out = new byte[head.length()];
        direct.flip().get(out);
        assertArrayEquals(head.toByteArray(), out);
    }

    @Test
    void startResetsForReuse() {
        ResponseHead head = new ResponseHead();
        head.start(200).header("Big", "x".repeat(3000)).header("Length", 3000).end();
        assertEquals("HTTP/1.1 200 OK\r\n".length() + "Big: \r\n".length() + 3000 + "Length: 3000\r\n\r\n".length(),
                head.length());
        head.start(304).header("ETag", "\"v\"").end();
        assertEquals("HTTP/1.1 304 Not Modified\r\nETag: \"v\"\r\n\r\n", head.toString());
        assertEquals(304, head.status());
        assertArrayEquals(latin1(head.toString()), head.toByteArray());
        head.start(204);
        assertEquals("HTTP/1.1 204 No Content\r\n", head.toString());
    }

    @Test
    void growsPastItsInitialSizeWithoutLosingBytes() {
        ResponseHead head = new ResponseHead().start(200);
        StringBuilder expected = new StringBuilder("HTTP/1.1 200 OK\r\n");
        for (int i = 0; i < 200; i++) {
            head.header("Field-" + i, "value-" + i);
            head.header("N-" + i, (long) i * 1_000_003);
            expected.append("Field-").append(i).append(": value-").append(i).append("\r\n");
            expected.append("N-").append(i).append(": ").append((long) i * 1_000_003).append("\r\n");
        }
        head.end();
        expected.append("\r\n");
        assertEquals(expected.toString(), head.toString());
        assertEquals(expected.length(), head.length());
    }

    @Test
    void fieldLineIsEncodedOnce() {
        assertArrayEquals(latin1("Allow: GET, HEAD\r\n"), ResponseHead.fieldLine("Allow", "GET, HEAD"));
    }

    @Test
    void errorResponsesHaveAnExactContentLength() {
        ResponseHead head = new ResponseHead();
        BodyPlan.Bytes body = ErrorResponses.write(414, head);
        assertEquals("414 URI Too Long\n", new String(body.content(), StandardCharsets.US_ASCII));
        assertEquals("HTTP/1.1 414 URI Too Long\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
                + body.content().length + "\r\n", head.toString());
    }
}
