package amped.core.tls;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amped.core.Dispatcher;
import amped.core.IoCompletions;
import amped.core.ReceiveHandler;
import amped.core.SendHandler;
import amped.core.server.Transport;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLParameters;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The record path fed in random pieces: a real client engine talks to a {@link TlsTransport} whose socket
 * hands over 1 to N bytes a read and sends partially. Whatever the splits, the server's reader gets exactly
 * the client's bytes, the client exactly the server's (sent as several gathered buffers), and a
 * close_notify reaches the reader as the end of the stream.
 */
class RecordPathProperties {

    private static final long WAIT_SECONDS = 20;
    private static TlsContext context;
    private static Dispatcher dispatcher;
    private static IoCompletions io;

    @BeforeContainer
    static void start() throws Exception {
        context = TlsContext.load(new TlsIdentity.SelfSigned(List.of()));
        dispatcher = new Dispatcher("records");
        io = new IoCompletions(dispatcher);
    }

    @AfterContainer
    static void stop() {
        dispatcher.stop();
        context.close();
    }

    @Property(tries = 25)
    void bytesCrossWholeAndInOrderWhateverTheSplits(@ForAll @LongRange(min = 1, max = 1_000_000) long seed,
                                                    @ForAll @IntRange(min = 1, max = 40_000) int requestSize,
                                                    @ForAll @IntRange(min = 0, max = 150_000) int responseSize,
                                                    @ForAll @IntRange(min = 1, max = 6_000) int maxSplit,
                                                    @ForAll boolean tls12) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] request = bytes(random, requestSize);
        byte[] response = bytes(random, responseSize);
        SplitPipe pipe = new SplitPipe(dispatcher, seed, maxSplit);
        TlsLoop loop = new TlsLoop(context, dispatcher, io);
        Server server = new Server(request.length, response);
        TlsTransport transport = (TlsTransport) loop.wrap(pipe);
        dispatcher.execute(() -> server.start(transport));

        SSLEngine client = TestTrust.trusting(context.certificate()).createSSLEngine("localhost", 443);
        client.setUseClientMode(true);
        SSLParameters p = client.getSSLParameters();
        p.setProtocols(new String[] {tls12 ? "TLSv1.2" : "TLSv1.3"});
        p.setApplicationProtocols(new String[] {"http/1.1"});
        client.setSSLParameters(p);
        Client c = new Client(client, pipe);
        c.handshake();
        assertEquals("http/1.1", client.getApplicationProtocol());
        c.send(request);
        assertArrayEquals(response, c.receive(response.length));
        assertArrayEquals(request, server.received.get(WAIT_SECONDS, TimeUnit.SECONDS));
        // waiting for the next request, whatever the size of the last, it holds only its small buffer
        await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> onLoop(() -> transport.records.in().capacity()),
                capacity -> capacity == RecordSocket.IDLE_IN);
        client.closeOutbound();
        c.flush();
        assertEquals(-1, server.end.get(WAIT_SECONDS, TimeUnit.SECONDS));
    }

    private static <T> T onLoop(java.util.function.Supplier<T> read) throws Exception {
        CompletableFuture<T> value = new CompletableFuture<>();
        dispatcher.execute(() -> value.complete(read.get()));
        return value.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static byte[] bytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** The connection's part: reads through small buffers, then answers with three gathered buffers. */
    private static final class Server implements ReceiveHandler, SendHandler {
        final CompletableFuture<byte[]> received = new CompletableFuture<>();
        final CompletableFuture<Integer> end = new CompletableFuture<>();
        private final int expected;
        private final ByteBuffer in = ByteBuffer.allocate(4096);
        private final ByteArrayOutputStream got = new ByteArrayOutputStream();
        private final ByteBuffer[] out;
        private Transport transport;

        Server(int expected, byte[] response) {
            this.expected = expected;
            int a = response.length / 3;
            int b = response.length / 2;
            this.out = new ByteBuffer[] {ByteBuffer.wrap(response, 0, a), ByteBuffer.wrap(response, a, b - a),
                    ByteBuffer.wrap(response, b, response.length - b)};
        }

        void start(Transport t) {
            transport = t;
            transport.receive(in.clear(), this);
        }

        @Override
        public void onReceived(int bytes) {
            if (bytes < 0) {
                end.complete(bytes);
                return;
            }
            got.write(in.array(), 0, in.position());
            if (got.size() == expected && !received.isDone()) {
                received.complete(got.toByteArray());
                transport.send(out, out.length, this);
            }
            transport.receive(in.clear(), this);
        }

        @Override
        public void onReceiveFailed(Throwable failure) {
            received.completeExceptionally(failure);
            end.completeExceptionally(failure);
        }

        @Override
        public void onSent(long bytes) {
            for (ByteBuffer b : out) {
                if (b.hasRemaining()) {
                    transport.send(out, out.length, this);
                    return;
                }
            }
        }

        @Override
        public void onSendFailed(Throwable failure) {
            received.completeExceptionally(failure);
        }

        @Override
        public void handlerFailed(Throwable failure) {
            received.completeExceptionally(failure);
            end.completeExceptionally(failure);
        }
    }

    /** The client's engine, driven on the test's thread. */
    private static final class Client {
        private final SSLEngine engine;
        private final SplitPipe pipe;
        private final ByteBuffer netIn = ByteBuffer.allocate(1 << 20);
        private final ByteBuffer plain = ByteBuffer.allocate(1 << 20);

        Client(SSLEngine engine, SplitPipe pipe) {
            this.engine = engine;
            this.pipe = pipe;
        }

        void handshake() throws Exception {
            engine.beginHandshake();
            while (true) {
                switch (engine.getHandshakeStatus()) {
                    case NEED_WRAP -> flush();
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> unwrapSome();
                    case NEED_TASK -> engine.getDelegatedTask().run();
                    default -> {
                        return;
                    }
                }
            }
        }

        void flush() throws Exception {
            ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            engine.wrap(ByteBuffer.allocate(0), out);
            pipe.fromClient(java.util.Arrays.copyOf(out.array(), out.position()));
        }

        void send(byte[] data) throws Exception {
            ByteBuffer src = ByteBuffer.wrap(data);
            while (src.hasRemaining()) {
                ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
                SSLEngineResult r = engine.wrap(src, out);
                assertEquals(SSLEngineResult.Status.OK, r.getStatus());
                pipe.fromClient(java.util.Arrays.copyOf(out.array(), out.position()));
            }
        }

        byte[] receive(int n) throws Exception {
            while (plain.position() < n) {
                unwrapSome();
            }
            assertEquals(n, plain.position());
            return java.util.Arrays.copyOf(plain.array(), n);
        }

        /** Unwraps what has come; waits (bounded) for more when no whole record is there. */
        private void unwrapSome() throws Exception {
            netIn.flip();
            SSLEngineResult r = engine.unwrap(netIn, plain);
            netIn.compact();
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW || r.bytesConsumed() == 0
                    && r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_UNWRAP) {
                byte[] more = pipe.fromServer.poll(WAIT_SECONDS, TimeUnit.SECONDS);
                assertNotNull(more, "the server sent nothing more in " + WAIT_SECONDS + " s");
                netIn.put(more);
            }
            assertTrue(r.getStatus() != SSLEngineResult.Status.CLOSED, "the server closed");
        }
    }
}
