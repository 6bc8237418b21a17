package amped.core.server;

import amped.core.Dispatcher;
import amped.core.Event;
import amped.core.ReceiveHandler;
import amped.core.SendHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.charset.StandardCharsets;

/**
 * A {@link Transport} with no socket behind it (Netty's EmbeddedChannel idea): reads and writes wait until
 * the test completes them, and every completion reaches the connection as the event a socket's would. All
 * methods run on the loop's dispatcher (tests call them through {@link LoopHarness#onLoop}).
 */
final class ScriptedTransport implements Transport {

    private final Dispatcher dispatcher;
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private ByteBuffer readInto;
    private ReceiveHandler reader;
    private ByteBuffer[] writeFrom;
    private int writeCount;
    private SendHandler writer;
    private boolean outputShut;
    private boolean closed;

    ScriptedTransport(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public void receive(ByteBuffer into, ReceiveHandler handler) {
        if (reader != null) {
            throw new IllegalStateException("a read is already pending");
        }
        readInto = into;
        reader = handler;
        if (closed) {
            failPending();
        }
    }

    @Override
    public void send(ByteBuffer[] from, int count, SendHandler handler) {
        if (writer != null) {
            throw new IllegalStateException("a write is already pending");
        }
        writeFrom = from;
        writeCount = count;
        writer = handler;
        if (closed) {
            failPending();
        }
    }

    @Override
    public void shutdownOutput() {
        outputShut = true;
    }

    @Override
    public void close() {
        closed = true;
        failPending();
    }

    /** As a socket does on close: operations in flight fail. */
    private void failPending() {
        if (reader != null) {
            ReceiveHandler r = reader;
            reader = null;
            dispatcher.enqueue(new Event.ReceiveFailed(r, new AsynchronousCloseException()));
        }
        if (writer != null) {
            SendHandler w = writer;
            writer = null;
            dispatcher.enqueue(new Event.SendFailed(w, new AsynchronousCloseException()));
        }
    }

    @Override
    public int descriptor() {
        return -1; // no socket: the writer takes its portable routes
    }

    @Override
    public InetSocketAddress remote() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);
    }

    /** The size of the buffer the pending read would fill. */
    int pendingReadCapacity() {
        return readInto.capacity();
    }

    boolean readPending() {
        return reader != null;
    }

    boolean writePending() {
        return writer != null;
    }

    boolean outputShut() {
        return outputShut;
    }

    boolean closed() {
        return closed;
    }

    /** The client sends {@code text}: as much as the pending read has room for goes in (the rest is dropped). */
    int deliver(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        int n = Math.min(bytes.length, readInto.remaining());
        readInto.put(bytes, 0, n);
        ReceiveHandler r = reader;
        reader = null;
        dispatcher.enqueue(new Event.Received(r, n));
        return n;
    }

    /** The client closes its side. */
    void endOfInput() {
        ReceiveHandler r = reader;
        reader = null;
        dispatcher.enqueue(new Event.Received(r, -1));
    }

    /** The pending write takes at most {@code max} bytes (a partial write when it offered more). */
    long completeWrite(int max) {
        long n = 0;
        for (int i = 0; i < writeCount && n < max; i++) {
            ByteBuffer b = writeFrom[i];
            int take = (int) Math.min(b.remaining(), max - n);
            byte[] chunk = new byte[take];
            b.get(chunk);
            written.writeBytes(chunk);
            n += take;
        }
        SendHandler w = writer;
        writer = null;
        writeFrom = null;
        dispatcher.enqueue(new Event.Sent(w, n));
        return n;
    }

    /** The pending write fails: the client reset the connection. */
    void failWrite(IOException failure) {
        SendHandler w = writer;
        writer = null;
        dispatcher.enqueue(new Event.SendFailed(w, failure));
    }

    /** Everything the connection wrote so far. */
    byte[] written() {
        return written.toByteArray();
    }

    String writtenText() {
        return written.toString(StandardCharsets.ISO_8859_1);
    }
}
