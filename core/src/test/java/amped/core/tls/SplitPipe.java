package amped.core.tls;

import amped.core.Dispatcher;
import amped.core.Event;
import amped.core.ReceiveHandler;
import amped.core.SendHandler;
import amped.core.server.Transport;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.SplittableRandom;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A socket stand-in under a {@link TlsTransport}: what the test's client writes reaches the server in
 * random pieces (1 to maxSplit bytes a read), and the server's writes go out partially, a random part of
 * what was asked each time. Operations complete as events on the dispatcher, as a socket's do.
 */
final class SplitPipe implements Transport {

    private final Dispatcher dispatcher;
    private final SplittableRandom random;
    private final int maxSplit;
    /** Client bytes not yet read by the server; touched on the dispatcher only. */
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private int pendingRead;
    /** What the server wrote, in the pieces it went out in; the client takes them on its own thread. */
    final LinkedBlockingQueue<byte[]> fromServer = new LinkedBlockingQueue<>();
    private ByteBuffer readInto;
    private ReceiveHandler reader;
    volatile boolean closed;
    volatile boolean outputShut;

    SplitPipe(Dispatcher dispatcher, long seed, int maxSplit) {
        this.dispatcher = dispatcher;
        this.random = new SplittableRandom(seed);
        this.maxSplit = maxSplit;
    }

    /** The client sends; any thread. */
    void fromClient(byte[] bytes) {
        dispatcher.execute(() -> {
            pending.writeBytes(bytes);
            feed();
        });
    }

    @Override
    public void receive(ByteBuffer into, ReceiveHandler handler) {
        readInto = into;
        reader = handler;
        dispatcher.execute(this::feed);
    }

    private void feed() {
        if (reader == null) {
            return;
        }
        if (closed) {
            ReceiveHandler r = reader;
            reader = null;
            dispatcher.enqueue(new Event.ReceiveFailed(r, new ClosedChannelException()));
            return;
        }
        byte[] all = pending.toByteArray();
        int available = all.length - pendingRead;
        if (available == 0 || !readInto.hasRemaining()) {
            return;
        }
        int n = Math.min(Math.min(available, readInto.remaining()), 1 + random.nextInt(maxSplit));
        readInto.put(all, pendingRead, n);
        pendingRead += n;
        ReceiveHandler r = reader;
        reader = null;
        dispatcher.enqueue(new Event.Received(r, n));
    }

    @Override
    public void send(ByteBuffer[] from, int count, SendHandler handler) {
        if (closed) {
            dispatcher.enqueue(new Event.SendFailed(handler, new ClosedChannelException()));
            return;
        }
        long total = 0;
        for (int i = 0; i < count; i++) {
            total += from[i].remaining();
        }
        int n = (int) Math.min(total, 1 + random.nextInt(Math.max(1, maxSplit * 4)));
        byte[] out = new byte[n];
        int at = 0;
        for (int i = 0; i < count && at < n; i++) {
            int k = Math.min(from[i].remaining(), n - at);
            from[i].get(out, at, k);
            at += k;
        }
        fromServer.add(out);
        dispatcher.enqueue(new Event.Sent(handler, n));
    }

    @Override
    public void shutdownOutput() {
        outputShut = true;
    }

    @Override
    public void close() {
        closed = true;
        dispatcher.execute(this::feed);
    }

    @Override
    public int descriptor() {
        return 42;
    }

    @Override
    public InetSocketAddress remote() {
        return new InetSocketAddress("127.0.0.1", 40000);
    }
}
