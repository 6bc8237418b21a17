package amped.core.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amped.protocol.BodyPlan;
import amped.protocol.ResponseHead;
import amped.protocol.ranges.ByteRange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output chain on its own: head, memory and file segments through one buffer, over scripted writes. */
class BodyWriterTest {

    @TempDir
    Path root;
    private LoopHarness harness;
    private final ExecutorService fileThreads = Executors.newSingleThreadExecutor();
    private byte[] content;
    private Path file;

    /** What the owner heard. */
    private static final class Heard implements BodyWriter.Owner {
        int sends;
        boolean sent;
        BodyWriter.Failure failure;

        @Override
        public void sending() {
            sends++;
        }

        @Override
        public void sent() {
            sent = true;
        }

        @Override
        public void failed(BodyWriter.Failure f, boolean fromMapping, Throwable cause) {
            failure = f;
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        content = new byte[600_000];
        new Random(3).nextBytes(content);
        file = Files.write(root.resolve("data.bin"), content);
        harness = new LoopHarness(root, b -> b.chunkSize(16 * 1024));
    }

    @AfterEach
    void tearDown() {
        harness.close();
        fileThreads.shutdownNow();
    }

    private AsynchronousFileChannel open() throws IOException {
        return AsynchronousFileChannel.open(file, java.util.Set.of(StandardOpenOption.READ), fileThreads);
    }

    private static ResponseHead head(String status) {
        ResponseHead head = new ResponseHead();
        head.start(206).header("X-Test", status).end();
        return head;
    }

    private void writeAll(ScriptedTransport t, int max, Heard heard) {
        await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                .until(() -> harness.onLoop(() -> {
                    if (t.writePending()) {
                        t.completeWrite(max);
                    }
                    return heard.sent || heard.failure != null;
                }));
    }

    @Test
    void multipartSegmentsFromDiskArriveInOrderThroughPartialWrites() throws IOException {
        ByteRange[] ranges = {new ByteRange(0, 99), new ByteRange(250_000, 599_999)};
        var multipart = amped.protocol.ranges.MultipartByteranges.of("BOUNDARY", "application/octet-stream",
                java.util.List.of(ranges), content.length);
        ResponseBody body = ResponseBody.of(new BodyPlan.Multipart(multipart), open());
        ResponseHead head = head("multipart");
        ScriptedTransport t = new ScriptedTransport(harness.loop.dispatcher);
        Heard heard = new Heard();
        harness.onLoop(() -> BodyWriter.of(harness.loop, t, heard, head, body, false).start());
        writeAll(t, 5_000, heard);

        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        byte[] headBytes = new byte[head.length()];
        head.copyTo(java.nio.ByteBuffer.wrap(headBytes), 0, head.length());
        expected.writeBytes(headBytes);
        for (var part : multipart.parts()) {
            expected.writeBytes(part.head());
            expected.write(content, (int) part.range().first(), (int) part.range().length());
        }
        expected.writeBytes(multipart.trailer());
        assertArrayEquals(expected.toByteArray(), harness.onLoop(t::written));
        assertTrue(heard.sent);
        assertNull(heard.failure);
        assertEquals(0, harness.buffersInUse());
    }

    @Test
    void anAbandonedWriterKeepsItsBufferUntilTheWriteInFlightReports() throws IOException {
        ResponseBody body = ResponseBody.of(new BodyPlan.Whole(content.length), open());
        ScriptedTransport t = new ScriptedTransport(harness.loop.dispatcher);
        Heard heard = new Heard();
        BodyWriter writer = harness.onLoop(() -> {
            BodyWriter w = BodyWriter.of(harness.loop, t, heard, head("x"), body, false);
            w.start();
            return w;
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.onLoop(t::writePending));
        harness.onLoop(writer::abandon);
        assertEquals(1, harness.buffersInUse(), "the kernel may still be reading the buffer");
        harness.onLoop(() -> t.failWrite(new IOException("Broken pipe")));
        await().atMost(Duration.ofSeconds(5)).until(() -> harness.buffersInUse() == 0);
        assertNull(heard.failure, "an abandoned writer reports nothing");
    }

    @Test
    void aFileShorterThanPromisedEndsWithFileShrankNeverPadding() throws IOException {
        ResponseBody body = ResponseBody.of(new BodyPlan.Whole(content.length + 1000L), open());
        ScriptedTransport t = new ScriptedTransport(harness.loop.dispatcher);
        Heard heard = new Heard();
        harness.onLoop(() -> BodyWriter.of(harness.loop, t, heard, head("x"), body, false).start());
        writeAll(t, Integer.MAX_VALUE, heard);
        assertEquals(BodyWriter.Failure.FILE_SHRANK, heard.failure);
        String written = harness.onLoop(t::writtenText);
        assertTrue(written.length() <= content.length + 200, "no padding beyond the file");
        assertEquals(0, harness.buffersInUse());
        assertTrue(new String(harness.onLoop(t::written), StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 206"));
    }
}
