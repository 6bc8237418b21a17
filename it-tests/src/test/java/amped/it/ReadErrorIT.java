package amped.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import org.apache.commons.io.output.TeeOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk read that fails in the middle of a file (an injected EIO, see {@link FaultyFileSystem}): the
 * response already promised its length, so the server must end that connection with a short body of true
 * bytes, log and count the error, hold nothing, and go on serving.
 */
@Timeout(60)
class ReadErrorIT {

    private static final int SIZE = 8 * 1024 * 1024;
    private static final long FAIL_AT = 3 * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void aReadFailingMidFileEndsThatConnectionWithAShortTrueBodyAndServingGoesOn() throws Exception {
        byte[] content = TestFiles.bytes(31, SIZE);
        Files.write(dir.resolve("faulty.bin"), content);
        byte[] small = TestFiles.bytes(32, 10_000);
        Files.write(dir.resolve("small.bin"), small);
        FaultyFileSystem fs = new FaultyFileSystem(dir.getFileSystem(), FAIL_AT);

        // the server logs through slf4j-simple to whatever System.err is at the time; keep a copy
        PrintStream originalErr = System.err;
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        System.setErr(new PrintStream(new TeeOutputStream(originalErr, logged), true, StandardCharsets.UTF_8));
        // no file cache: both files go through asynchronous channels, which the wrapper counts
        try (TestServer server = TestServer.start(fs.wrap(dir), b -> b.cacheSize(0))) {
            assertSame(fs, server.server.root().getFileSystem(), "the server serves the wrapped tree");

            try (RawHttp c = new RawHttp(server.port())) {
                c.send("GET /faulty.bin HTTP/1.1\r\nHost: x\r\n\r\n");
                InputStream in = c.input();
                String head = readHead(in);
                assertTrue(head.startsWith("HTTP/1.1 200 "), head);
                assertEquals(String.valueOf(SIZE), field(head, "content-length"), head);

                byte[] body = readUntilClosed(in);
                assertTrue(body.length < SIZE, "the promised length cannot be kept: got " + body.length);
                // nothing past the failure point was read, so nothing past it can have been sent
                assertTrue(body.length <= FAIL_AT, "bytes the disk never gave: " + body.length);
                // every byte received is the file's byte at that offset: no padding, no stale buffer
                assertArrayEquals(Arrays.copyOf(content, body.length), body);
            }

            await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().readErrors() == 1);
            server.awaitNothingHeld();
            // the fault really was injected, once, mid-file, on the one channel opened on the faulty file
            assertEquals(1, fs.faultyChannelsOpened.get(), "faulty channels opened");
            assertEquals(1, fs.injectedFailures.get(), "injected failures");
            assertEquals(FAIL_AT, fs.faultyBytesRead.get(), "bytes read before the failure");
            String log = logged.toString(StandardCharsets.UTF_8);
            assertTrue(log.lines().anyMatch(l -> l.contains("WARN") && l.contains("/faulty.bin")
                    && l.contains("injected EIO")), "a warning naming the file and the error:\n" + log);

            // a new connection is served as if nothing had happened
            try (RawHttp c = new RawHttp(server.port())) {
                RawHttp.Response r = c.send("GET /small.bin HTTP/1.1\r\nHost: x\r\n\r\n").read();
                assertEquals(200, r.status(), r.statusLine());
                assertArrayEquals(small, r.body());
            }
            assertEquals(2, fs.channelsOpened.get(), "channels opened through the wrapper");
            assertEquals(1, server.stats().readErrors(), "read errors");
            server.awaitNothingHeld();
        } finally {
            System.setErr(originalErr);
        }
    }

    /** The response head up to and including the blank line, as text. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed in the head: " + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static String field(String head, String name) {
        return head.lines()
                .filter(l -> l.toLowerCase(Locale.ROOT).startsWith(name + ":"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim())
                .findFirst().orElse(null);
    }

    /** Everything until end of stream or a reset; a read that times out is a hang and fails the test. */
    private static byte[] readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        try {
            for (int n; (n = in.read(buf)) != -1; ) {
                got.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            fail("the connection neither finished nor ended after " + got.size() + " body bytes");
        } catch (SocketException reset) {
            // a reset ends the connection as well as a FIN does
        }
        return got.toByteArray();
    }
}
