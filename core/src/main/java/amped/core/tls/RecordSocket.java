package amped.core.tls;

import amped.core.ReceiveHandler;
import amped.core.SendHandler;
import amped.core.server.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The socket under a TLS connection, as its engine sees it: records come into {@link #in()}, one buffer of
 * records at a time goes out whole (a partial write is continued here), and each completion is passed on to
 * the {@link Owner} on the dispatcher. A connection waits for records with a small buffer of its own (a
 * request's record fits); one that holds a record too large for it is moved to a buffer of the largest
 * record size, borrowed from the dispatcher and given back once it is empty, so an idle connection holds
 * about a kilobyte here instead of seventeen.
 */
final class RecordSocket {

    /** What a TLS connection hears from its socket. */
    interface Owner {
        /** Records arrived in {@link #in()}, or the input ended ({@link #ended()}). */
        void recordsRead();

        /** A buffer of records went out whole; {@code carried} is what {@link #write} was told it carries. */
        void recordsWritten(long carried);

        void socketFailed(Throwable failure);

        /** A handler of the owner's threw: the connection cannot go on. */
        void ownerFailed(Throwable failure);
    }

    private static final byte[] PLAIN_HTTP_ANSWER = ("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\n"
            + "Content-Length: 41\r\nConnection: close\r\n\r\nThis port speaks HTTPS: use https:// URLs\n")
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * The idle read, bytes: a plain request's record fits (curl's and wrk's are under 200 bytes); larger ones (a
     * ClientHello with post-quantum key shares, a browser's request with cookies) borrow a large buffer for
     * as long as they take.
     */
    static final int IDLE_IN = 1024;

    private final Transport socket;
    private final RecordBuffers buffers;
    private final RecordBuffers largeIn;
    private final Owner owner;
    private final ByteBuffer smallIn = ByteBuffer.allocate(IDLE_IN);
    /** Records received and not yet decrypted (write mode): {@link #smallIn} or one borrowed of the largest size. */
    private ByteBuffer in = smallIn;
    private ByteBuffer out;
    private long carried;
    private boolean reading;
    private boolean ended;
    private boolean closed;
    private final Received received = new Received();
    private final Sent sent = new Sent();

    RecordSocket(Transport socket, RecordBuffers buffers, RecordBuffers largeIn, Owner owner) {
        this.socket = socket;
        this.buffers = buffers;
        this.largeIn = largeIn;
        this.owner = owner;
    }

    /** Records received and not yet decrypted (write mode). */
    ByteBuffer in() {
        return in;
    }

    /**
     * Reads more records into {@link #in()}, unless a read is pending already or the input is over; a full
     * small buffer (a record larger than it) moves to a large one first, an empty large one back.
     */
    void read() {
        if (!reading && !ended && !closed) {
            if (in == smallIn && !in.hasRemaining()) {
                in = largeIn.take().put(smallIn.flip());
                smallIn.clear();
            } else if (in != smallIn && in.position() == 0) {
                largeIn.give(in);
                in = smallIn;
            }
            reading = true;
            socket.receive(in, received);
        }
    }

    /** Sends {@code records} (read mode, taken from the loop's spares, given back when sent). */
    void write(ByteBuffer records, long carries) {
        out = records;
        carried = carries;
        socket.send(new ByteBuffer[] {out}, 1, sent);
    }

    /** Answers a plain HTTP request in clear text (400), as nginx does; {@code carries} as for {@link #write}. */
    void answerPlainHttp(long carries) {
        write(buffers.take().put(PLAIN_HTTP_ANSWER).flip(), carries);
    }

    boolean writing() {
        return out != null;
    }

    /** Whether the input reached its end. */
    boolean ended() {
        return ended;
    }

    /** A buffer for records to write. */
    ByteBuffer buffer() {
        return buffers.take();
    }

    void giveBack(ByteBuffer b) {
        buffers.give(b);
    }

    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    void close() {
        closed = true;
        socket.close();
        if (in != smallIn && !reading) {
            largeIn.give(in);
            in = smallIn.clear();
        }
    }

    InetSocketAddress remote() {
        return socket.remote();
    }

    private final class Received implements ReceiveHandler {
        @Override
        public void onReceived(int bytes) {
            reading = false;
            ended |= bytes < 0;
            owner.recordsRead();
        }

        @Override
        public void onReceiveFailed(Throwable failure) {
            reading = false;
            owner.socketFailed(failure);
        }

        @Override
        public void handlerFailed(Throwable failure) {
            owner.ownerFailed(failure);
        }
    }

    private final class Sent implements SendHandler {
        @Override
        public void onSent(long bytes) {
            if (out.hasRemaining() && !closed) {
                socket.send(new ByteBuffer[] {out}, 1, this);
                return;
            }
            buffers.give(out);
            out = null;
            owner.recordsWritten(carried);
        }

        @Override
        public void onSendFailed(Throwable failure) {
            buffers.give(out);
            out = null;
            owner.socketFailed(failure);
        }

        @Override
        public void handlerFailed(Throwable failure) {
            owner.ownerFailed(failure);
        }
    }
}
