package amped.core.tls;

import amped.core.Dispatcher;
import amped.core.Event;
import amped.core.ReceiveHandler;
import amped.core.SendHandler;
import java.nio.ByteBuffer;

/**
 * The read and the write a connection has asked of a TLS transport and not yet heard back about (one of
 * each at most), and how each is told: always as the event a socket's completion would be, never nested.
 */
final class WaitingCalls {

    private final Dispatcher dispatcher;
    ReceiveHandler reader;
    ByteBuffer readInto;
    SendHandler writer;
    ByteBuffer[] sendFrom;
    int sendCount;

    WaitingCalls(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    void read(ByteBuffer into, ReceiveHandler handler) {
        if (reader != null) {
            throw new IllegalStateException("a read is already pending");
        }
        reader = handler;
        readInto = into;
    }

    void write(ByteBuffer[] from, int count, SendHandler handler) {
        if (writer != null) {
            throw new IllegalStateException("a write is already pending");
        }
        writer = handler;
        sendFrom = from;
        sendCount = count;
    }

    /** Whether plaintext of the writer's is left to send. */
    boolean plaintextLeft() {
        for (int i = 0; i < sendCount; i++) {
            if (sendFrom[i].hasRemaining()) {
                return true;
            }
        }
        return false;
    }

    /** The read is over: {@code bytes} were put into its buffer (-1: the end of the stream). */
    void received(int bytes) {
        ReceiveHandler r = reader;
        reader = null;
        readInto = null;
        dispatcher.enqueue(new Event.Received(r, bytes));
    }

    /** The write is over: {@code bytes} of its plaintext went out. */
    void sent(long bytes) {
        SendHandler w = writer;
        writer = null;
        sendFrom = null;
        dispatcher.enqueue(new Event.Sent(w, bytes));
    }

    /** Whichever of the two is waiting fails with {@code failure}. */
    void fail(Throwable failure) {
        if (reader != null) {
            ReceiveHandler r = reader;
            reader = null;
            readInto = null;
            dispatcher.enqueue(new Event.ReceiveFailed(r, failure));
        }
        if (writer != null) {
            SendHandler w = writer;
            writer = null;
            sendFrom = null;
            dispatcher.enqueue(new Event.SendFailed(w, failure));
        }
    }
}
