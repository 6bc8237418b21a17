package amped.core;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The channel adapters over real sockets and files: every completion reaches its handler as an event on
 * the dispatcher thread, and an operation that completes at once inside a handler is still delivered
 * only after that handler has returned.
 */
@Timeout(30)
class IoCompletionsTest {

    private Dispatcher dispatcher;
    private AsynchronousChannelGroup group;
    private IoCompletions io;
    private AsynchronousServerSocketChannel server;
    private final List<String> trace = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        dispatcher = new Dispatcher("amped-dispatcher-0");
        group = dispatcher.group();
        io = new IoCompletions(dispatcher);
        server = AsynchronousServerSocketChannel.open(group).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void tearDown() throws Exception {
        server.close();
        group.shutdownNow();
        assertTrue(group.awaitTermination(5, TimeUnit.SECONDS));
        dispatcher.stop();
        assertTrue(dispatcher.awaitStop(5, TimeUnit.SECONDS));
        assertEquals(0, dispatcher.handlerFailures());
    }

    private String where() {
        return Thread.currentThread().getName();
    }

    @Test
    void acceptReceiveAndSendCompleteOnTheDispatcherWithoutNesting() throws Exception {
        AtomicReference<AsynchronousSocketChannel> accepted = new AtomicReference<>();
        ByteBuffer in = ByteBuffer.allocate(64);
        ReceiveHandler receiver = new ReceiveHandler() {
            @Override
            public void onReceived(int bytes) {
                trace.add("received " + bytes + " on " + where());
            }

            @Override
            public void onReceiveFailed(Throwable failure) {
                trace.add("receive failed " + failure);
            }

            @Override
            public void handlerFailed(Throwable failure) {
                trace.add("handler failed " + failure);
            }
        };
        SendHandler sender = new SendHandler() {
            @Override
            public void onSent(long bytes) {
                trace.add("sent " + bytes + " on " + where());
            }

            @Override
            public void onSendFailed(Throwable failure) {
                trace.add("send failed " + failure);
            }

            @Override
            public void handlerFailed(Throwable failure) {
                trace.add("handler failed " + failure);
            }
        };
        dispatcher.execute(() -> io.accept(server, new AcceptHandler() {
            @Override
            public void onAccepted(AsynchronousSocketChannel channel) {
                trace.add("accepted on " + where());
                accepted.set(channel);
            }

            @Override
            public void onAcceptFailed(Throwable failure) {
                trace.add("accept failed " + failure);
            }

            @Override
            public void handlerFailed(Throwable failure) {
                trace.add("handler failed " + failure);
            }
        }));
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), ((InetSocketAddress) server.getLocalAddress()).getPort())) {
            await().atMost(Duration.ofSeconds(5)).until(() -> accepted.get() != null);
            OutputStream out = client.getOutputStream();
            out.write("ping".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // the bytes are already there: the read completes at once, inside this handler, yet its
            // event must run only after the handler has returned
            await().atMost(Duration.ofSeconds(5)).until(() -> client.getInputStream() != null);
            dispatcher.execute(() -> {
                trace.add("handler start");
                io.receive(accepted.get(), in, receiver);
                io.send(accepted.get(), ByteBuffer.wrap("pong".getBytes(StandardCharsets.US_ASCII)), sender);
                trace.add("handler end");
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> trace.size() >= 5);
            assertEquals("accepted on amped-dispatcher-0", trace.get(0));
            assertEquals("handler start", trace.get(1));
            assertEquals("handler end", trace.get(2));
            assertTrue(trace.subList(3, 5).containsAll(List.of("received 4 on amped-dispatcher-0", "sent 4 on amped-dispatcher-0")),
                    trace.toString());
            InputStream reply = client.getInputStream();
            assertEquals("pong", new String(reply.readNBytes(4), StandardCharsets.US_ASCII));
        }
        accepted.get().close();
    }

    @Test
    void diskReadsAndDiskJobsCompleteOnTheDispatcher(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("f.bin");
        Files.writeString(file, "0123456789");
        ExecutorService helpers = Executors.newFixedThreadPool(2, r -> new Thread(r, "amped-disk-test"));
        try (AsynchronousFileChannel channel = AsynchronousFileChannel.open(file, Set.of(StandardOpenOption.READ), helpers)) {
            ByteBuffer into = ByteBuffer.allocateDirect(4);
            // as the server's file reader does: it starts the read with the dispatcher's completion handler
            dispatcher.execute(() -> channel.read(into, 3, new DiskReadHandler() {
                @Override
                public void onDiskRead(int bytes) {
                    trace.add("read " + bytes + " on " + where());
                }

                @Override
                public void onDiskReadFailed(Throwable failure) {
                    trace.add("read failed");
                }

                @Override
                public void handlerFailed(Throwable failure) {
                }
            }, io.diskReadCompletion()));
            await().atMost(Duration.ofSeconds(5)).until(() -> trace.size() == 1);
            assertEquals("read 4 on amped-dispatcher-0", trace.get(0));
            into.flip();
            assertEquals("3456", StandardCharsets.US_ASCII.decode(into).toString());

            AtomicReference<Throwable> failure = new AtomicReference<>();
            DiskJobHandler<String> jobs = new DiskJobHandler<>() {
                @Override
                public void onDiskJobDone(String result) {
                    trace.add(result + " done on " + where());
                }

                @Override
                public void onDiskJobFailed(Throwable f) {
                    failure.set(f);
                    trace.add("job failed on " + where());
                }

                @Override
                public void handlerFailed(Throwable f) {
                }
            };
            io.runOnDiskHelper(helpers, () -> "job ran on " + where(), jobs);
            io.runOnDiskHelper(helpers, () -> {
                throw new IOException("disk on fire");
            }, jobs);
            await().atMost(Duration.ofSeconds(5)).until(() -> trace.size() == 3);
            assertTrue(trace.contains("job ran on amped-disk-test done on amped-dispatcher-0"), trace.toString());
            assertTrue(trace.contains("job failed on amped-dispatcher-0"), trace.toString());
            assertInstanceOf(IOException.class, failure.get());
        } finally {
            helpers.shutdownNow();
        }
    }
}
