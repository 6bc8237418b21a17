package amped.bench;

import amped.protocol.ParseLimits;
import amped.protocol.RequestParser;
import amped.protocol.RequestTarget;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Requests parsed per second on one core: a minimal request (wrk's) and a browser's. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ParserBenchmark {

    @Param({"wrk", "browser"})
    public String request;

    private ByteBuffer input;
    private RequestParser parser;

    @Setup
    public void setUp() {
        String text = request.equals("wrk")
                ? "GET /small.bin HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n"
                : "GET /assets/app.3f9a2c.js?v=12 HTTP/1.1\r\n"
                        + "Host: downloads.example.org\r\n"
                        + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
                        + "Accept: */*\r\n"
                        + "Accept-Language: en-GB,en;q=0.7,de;q=0.3\r\n"
                        + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
                        + "Referer: https://downloads.example.org/\r\n"
                        + "Connection: keep-alive\r\n"
                        + "Sec-Fetch-Dest: script\r\n"
                        + "Sec-Fetch-Mode: no-cors\r\n"
                        + "Sec-Fetch-Site: same-origin\r\n"
                        + "If-None-Match: \"20c091-6-18ec15f79bb3784b\"\r\n"
                        + "If-Modified-Since: Sat, 28 Nov 2026 02:55:04 GMT\r\n\r\n";
        input = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
        parser = new RequestParser(ParseLimits.DEFAULTS);
    }

    /** One request: parse the head, the target, and the fields a file response reads. */
    @Benchmark
    public Object parseRequest() throws RequestTarget.InvalidTargetException {
        input.rewind();
        if (parser.parse(input) != RequestParser.Status.HEAD_COMPLETE) {
            throw new IllegalStateException(parser.errorReason());
        }
        RequestTarget target = RequestTarget.parse(parser.head().target());
        Object encoding = parser.head().headerList("Accept-Encoding");
        // move the parser on to the next request, as a keep-alive connection does
        input.position(input.limit());
        parser.parse(input);
        return encoding == null ? target : encoding;
    }
}
