package amped.bench;

import amped.protocol.FileResponses;
import amped.protocol.ParseLimits;
import amped.protocol.Representation;
import amped.protocol.RequestHead;
import amped.protocol.RequestTarget;
import amped.protocol.ResourceOutcome;
import amped.protocol.ResponsePlans;
import amped.protocol.RequestParser;
import amped.protocol.ResponseHead;
import amped.protocol.conditional.EntityTags;
import amped.protocol.encoding.ContentCoding;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Response heads per second: a 200 planned from scratch by {@link ResponsePlans#plan} (what a request
 * with preconditions or a Range costs), and the cached path that copies a variant's pre-encoded fields
 * once {@link ResponsePlans#plainOk} has found the request unconditional.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ResponseHeadBenchmark {

    private final ResponseHead head = new ResponseHead();
    private final SplittableRandom random = new SplittableRandom(1);
    private final byte[] date = ResponseHead.fieldLine("Date", "Sat, 28 Nov 2026 02:55:12 GMT");
    private final byte[] server = ResponseHead.fieldLine("Server", "amped/0.1.0");
    private RequestHead request;
    private RequestTarget target;
    private ResourceOutcome found;
    private byte[] okFields;

    @Setup
    public void setUp() throws RequestTarget.InvalidTargetException {
        RequestParser parser = new RequestParser(ParseLimits.DEFAULTS);
        parser.parse(ByteBuffer.wrap("GET /a.js HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        request = parser.head();
        target = RequestTarget.parse(request.target());
        Representation rep = new Representation(102_400, 1_764_298_504_000L, EntityTags.forFile(102_400, 1_764_298_504_123_456_789L, null),
                "text/javascript; charset=utf-8", ContentCoding.IDENTITY, true);
        found = new ResourceOutcome.Found(rep);
        okFields = FileResponses.okFields(rep, null);
    }

    @Benchmark
    public int planned() {
        ResponsePlans.plan(request, target, found, null, random, 1_764_298_600_000L, head);
        head.line(date).line(server).end();
        return head.length();
    }

    @Benchmark
    public int preEncoded() {
        ResponsePlans.plainOk(request, okFields, head);
        head.line(date).line(server).end();
        return head.length();
    }
}
