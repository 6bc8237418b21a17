package amped.core.tls;

import amped.core.DiskJobHandler;
import amped.core.Event;
import amped.core.ReceiveHandler;
import amped.core.SendHandler;
import amped.core.server.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS over another transport (the socket's), seen by the connection as a plain one: records are
 * decrypted and encrypted here, on the dispatcher; the expensive steps of a handshake (the engine's
 * delegated tasks: key exchange, signature) run on a helper and come back as an event. Completions reach
 * the connection and its body writer as the receive and send events a socket's would, never nested.
 *
 * <p>Bounded memory: records received (one record's worth, for the connection's life), and only while in
 * use, plaintext decrypted but not yet taken and records being sent, both from the loop's spares.
 */
final class TlsTransport implements Transport {

    private static final Logger log = LoggerFactory.getLogger(TlsTransport.class);
    private static final byte[] PLAIN_HTTP_ANSWER = ("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\n"
            + "Content-Length: 41\r\nConnection: close\r\n\r\nThis port speaks HTTPS: use https:// URLs\n")
            .getBytes(StandardCharsets.US_ASCII);

    private final Transport socket;
    private final SSLEngine engine;
    private final TlsLoop loop;
    /** Records received and not yet decrypted; read into by the socket. */
    private final ByteBuffer netIn;
    /** Plaintext decrypted and not yet taken by the reader (write mode), or null. */
    private ByteBuffer plain;
    /** Records being sent (read mode), or null. */
    private ByteBuffer netOut;
    private final SocketReceived socketReceived = new SocketReceived();
    private final SocketSent socketSent = new SocketSent();
    private final TasksDone tasksDone = new TasksDone();

    private ReceiveHandler reader;
    private ByteBuffer readInto;
    private SendHandler writer;
    private ByteBuffer[] sendFrom;
    private int sendCount;
    /** Plaintext bytes the records in {@link #netOut} carry for the writer; -1 when they are handshake records. */
    private long netOutPlain = -1;
    private boolean socketReading;
    private boolean socketWriting;
    private boolean tasksRunning;
    private boolean handshakeStarted;
    private boolean peerClosed;
    /** The socket reached the end of its input. */
    private boolean socketEnded;
    private boolean outputShutWanted;
    private boolean closed;
    /** Set once the conversation cannot go on: reported to the reader and writer that ask. */
    private Throwable failure;
    /** Whether the failure waits for an alert or clear-text answer to go out before it is reported. */
    private boolean failAfterSend;

    TlsTransport(Transport socket, SSLEngine engine, TlsLoop loop) {
        this.socket = socket;
        this.engine = engine;
        this.loop = loop;
        this.netIn = ByteBuffer.allocate(loop.recordSize());
    }

    @Override
    public void receive(ByteBuffer into, ReceiveHandler handler) {
        if (reader != null) {
            throw new IllegalStateException("a read is already pending");
        }
        reader = handler;
        readInto = into;
        pump();
    }

    @Override
    public void send(ByteBuffer[] from, int count, SendHandler handler) {
        if (writer != null) {
            throw new IllegalStateException("a write is already pending");
        }
        writer = handler;
        sendFrom = from;
        sendCount = count;
        pump();
    }

    /** Sends close_notify, then ends the socket's output; reads go on. */
    @Override
    public void shutdownOutput() {
        outputShutWanted = true;
        engine.closeOutbound();
        pump();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        socket.close();
        if (failure == null) {
            failure = new ClosedChannelException();
        }
        reportFailure();
        if (plain != null) {
            loop.plainBuffers().give(plain);
            plain = null;
        }
    }

    /** None: the bytes on the socket are records, so a file cannot go to it by sendfile. */
    @Override
    public int descriptor() {
        return -1;
    }

    @Override
    public InetSocketAddress remote() {
        return socket.remote();
    }

    /** The protocol and cipher suite agreed, e.g. "TLSv1.3 TLS_AES_128_GCM_SHA256", or null before the handshake ends. */
    @Override
    public String security() {
        SSLSession s = engine.getSession();
        return s.getProtocol().startsWith("TLS") ? s.getProtocol() + " " + s.getCipherSuite() : null;
    }

    // ---- the engine driven by whatever changed: a call, a socket completion, tasks done ----

    private void pump() {
        if (closed || tasksRunning) {
            // while tasks run the engine is theirs: even asking its status could wait for them
            return;
        }
        if (failure != null) {
            if (!failAfterSend || !socketWriting) {
                reportFailure();
            }
            return;
        }
        try {
            if (!handshakeStarted) {
                if (netIn.position() == 0) {
                    readSocket();
                    return;
                }
                if (!looksLikeTls()) {
                    answerPlainHttp();
                    return;
                }
                handshakeStarted = true;
                engine.beginHandshake();
            }
            while (handshake()) {
                // one step after another until the handshake waits for the socket or a helper, or is done
            }
            if (!handshaking()) {
                if (writer != null && !socketWriting) {
                    encrypt();
                }
                if (reader != null) {
                    decrypt();
                }
                if (outputShutWanted && !socketWriting && writer == null) {
                    closeOutput();
                }
            }
        } catch (SSLException | RuntimeException e) {
            fail(e);
        }
    }

    private boolean handshaking() {
        HandshakeStatus s = engine.getHandshakeStatus();
        return s != HandshakeStatus.NOT_HANDSHAKING && s != HandshakeStatus.FINISHED;
    }

    /** One step of a handshake (or of a post-handshake message); true when another can follow at once. */
    private boolean handshake() throws SSLException {
        switch (engine.getHandshakeStatus()) {
            case NEED_TASK -> {
                runTasks();
                return false;
            }
            case NEED_WRAP -> {
                if (socketWriting) {
                    return false;
                }
                wrapHandshake();
                return !socketWriting;
            }
            case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                boolean moved = unwrap();
                if (plain != null && plain.position() == 0) {
                    loop.plainBuffers().give(plain);
                    plain = null;
                }
                return moved;
            }
            default -> {
                return false;
            }
        }
    }

    /** The first byte of a TLS connection is a handshake record's (22); HTTP starts with a method's letter. */
    private boolean looksLikeTls() {
        return netIn.get(0) == 22;
    }

    /** Plain HTTP on the TLS port: answered 400 in clear text, as nginx does, then closed. */
    private void answerPlainHttp() {
        failure = new SSLException("plain HTTP on the TLS port");
        failAfterSend = true;
        netOut = loop.recordBuffers().take();
        netOut.put(PLAIN_HTTP_ANSWER).flip();
        netOutPlain = -1;
        writeSocket();
    }

    private void wrapHandshake() throws SSLException {
        ByteBuffer out = loop.recordBuffers().take();
        SSLEngineResult r;
        try {
            r = engine.wrap(ByteBuffer.allocate(0), out);
        } catch (SSLException e) {
            loop.recordBuffers().give(out);
            throw e;
        }
        out.flip();
        if (r.bytesProduced() == 0) {
            loop.recordBuffers().give(out);
            return;
        }
        netOut = out;
        netOutPlain = -1;
        writeSocket();
    }

    /**
     * Decrypts what {@link #netIn} holds into {@link #plain}; reads the socket when a whole record is not
     * there yet. True when something was decrypted or the engine moved on.
     */
    private boolean unwrap() throws SSLException {
        if (netIn.position() == 0) {
            readSocket();
            return false;
        }
        if (plain == null) {
            plain = loop.plainBuffers().take();
        }
        netIn.flip();
        SSLEngineResult r;
        try {
            r = engine.unwrap(netIn, plain);
        } finally {
            netIn.compact();
        }
        switch (r.getStatus()) {
            case BUFFER_UNDERFLOW -> {
                readSocket();
                return false;
            }
            case CLOSED -> {
                peerClosed = true;
                return false;
            }
            case BUFFER_OVERFLOW -> {
                // the plaintext held already must be taken first
                return false;
            }
            default -> {
                return r.bytesConsumed() > 0 || r.bytesProduced() > 0;
            }
        }
    }

    private void runTasks() {
        List<Runnable> tasks = new ArrayList<>(2);
        for (Runnable t = engine.getDelegatedTask(); t != null; t = engine.getDelegatedTask()) {
            tasks.add(t);
        }
        tasksRunning = true;
        loop.runOnHelper(() -> {
            for (Runnable t : tasks) {
                t.run();
            }
            return Boolean.TRUE;
        }, tasksDone);
    }

    // ---- application data ----

    /** Hands the reader plaintext already decrypted, decrypting more first when there is none. */
    private void decrypt() throws SSLException {
        while (plain == null || plain.position() == 0) {
            if (peerClosed || socketEnded && netIn.position() == 0) {
                complete(-1);
                return;
            }
            boolean moved = unwrap();
            if (handshaking()) {
                // a post-handshake message (a key update) wants an answer first
                loop.dispatcher().execute(this::pump);
                return;
            }
            if (!moved && !peerClosed) {
                if (socketEnded) {
                    complete(-1); // the socket ended within a record
                }
                return; // a read of the socket is pending
            }
        }
        plain.flip();
        int n = Math.min(plain.remaining(), readInto.remaining());
        readInto.put(readInto.position(), plain, plain.position(), n);
        readInto.position(readInto.position() + n);
        plain.position(plain.position() + n);
        plain.compact();
        if (plain.position() == 0) {
            loop.plainBuffers().give(plain);
            plain = null;
        }
        complete(n);
    }

    private void complete(int bytes) {
        ReceiveHandler r = reader;
        reader = null;
        readInto = null;
        loop.dispatcher().enqueue(new Event.Received(r, bytes));
    }

    /** Encrypts as much of the writer's buffers as a record buffer holds and sends it. */
    private void encrypt() throws SSLException {
        ByteBuffer out = loop.recordBuffers().take();
        long consumed = 0;
        try {
            while (out.remaining() >= loop.recordSize() && hasPlaintext()) {
                SSLEngineResult r = engine.wrap(sendFrom, 0, sendCount, out);
                consumed += r.bytesConsumed();
                if (r.getStatus() != SSLEngineResult.Status.OK) {
                    if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new SSLException("the TLS output is closed");
                    }
                    break;
                }
            }
        } catch (SSLException | RuntimeException e) {
            loop.recordBuffers().give(out);
            throw e;
        }
        out.flip();
        if (!out.hasRemaining()) {
            loop.recordBuffers().give(out);
            SendHandler w = writer;
            writer = null;
            sendFrom = null;
            loop.dispatcher().enqueue(new Event.Sent(w, consumed));
            return;
        }
        netOut = out;
        netOutPlain = consumed;
        writeSocket();
    }

    private boolean hasPlaintext() {
        for (int i = 0; i < sendCount; i++) {
            if (sendFrom[i].hasRemaining()) {
                return true;
            }
        }
        return false;
    }

    /** close_notify out, then the socket's output shut. */
    private void closeOutput() throws SSLException {
        outputShutWanted = false;
        ByteBuffer out = loop.recordBuffers().take();
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        if (out.hasRemaining()) {
            netOut = out;
            netOutPlain = -2;
            writeSocket();
        } else {
            loop.recordBuffers().give(out);
            shutSocketOutput();
        }
    }

    private void shutSocketOutput() {
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            log.debug("shutting the output of {}: {}", remote(), e.toString());
        }
    }

    // ---- the socket ----

    private void readSocket() {
        if (socketReading || socketEnded || closed) {
            return;
        }
        socketReading = true;
        socket.receive(netIn, socketReceived);
    }

    private void writeSocket() {
        socketWriting = true;
        socket.send(new ByteBuffer[] {netOut}, 1, socketSent);
    }

    private void fail(Throwable e) {
        log.debug("TLS with {} failed: {}", remote(), e.toString());
        failure = e;
        if (!socketWriting && !(e instanceof SSLException && sendAlert())) {
            reportFailure();
        }
    }

    /** After a failed handshake the engine may have an alert to send: sent, then the failure reported. */
    private boolean sendAlert() {
        try {
            ByteBuffer out = loop.recordBuffers().take();
            engine.closeOutbound();
            engine.wrap(ByteBuffer.allocate(0), out);
            out.flip();
            if (!out.hasRemaining()) {
                loop.recordBuffers().give(out);
                return false;
            }
            netOut = out;
            netOutPlain = -1;
            failAfterSend = true;
            writeSocket();
            return true;
        } catch (SSLException | RuntimeException e) {
            return false;
        }
    }

    /** Tells the reader and the writer waiting that the conversation is over. */
    private void reportFailure() {
        if (reader != null) {
            ReceiveHandler r = reader;
            reader = null;
            readInto = null;
            loop.dispatcher().enqueue(new Event.ReceiveFailed(r, failure));
        }
        if (writer != null) {
            SendHandler w = writer;
            writer = null;
            sendFrom = null;
            loop.dispatcher().enqueue(new Event.SendFailed(w, failure));
        }
    }

    private final class SocketReceived implements ReceiveHandler {
        @Override
        public void onReceived(int bytes) {
            socketReading = false;
            if (bytes < 0) {
                socketEnded = true;
                if (!handshakeStarted || handshaking()) {
                    failure = new ClosedChannelException();
                }
            }
            pump();
        }

        @Override
        public void onReceiveFailed(Throwable e) {
            socketReading = false;
            if (failure == null) {
                failure = e;
            }
            pump();
        }

        @Override
        public void handlerFailed(Throwable e) {
            close();
        }
    }

    private final class SocketSent implements SendHandler {
        @Override
        public void onSent(long bytes) {
            if (netOut.hasRemaining() && !closed) {
                socket.send(new ByteBuffer[] {netOut}, 1, this);
                return;
            }
            socketWriting = false;
            loop.recordBuffers().give(netOut);
            netOut = null;
            long carried = netOutPlain;
            netOutPlain = -1;
            if (carried >= 0 && writer != null) {
                SendHandler w = writer;
                writer = null;
                sendFrom = null;
                loop.dispatcher().enqueue(new Event.Sent(w, carried));
            } else if (carried == -2) {
                shutSocketOutput();
            }
            pump();
        }

        @Override
        public void onSendFailed(Throwable e) {
            socketWriting = false;
            if (netOut != null) {
                loop.recordBuffers().give(netOut);
                netOut = null;
            }
            if (failure == null) {
                failure = e;
            }
            failAfterSend = false;
            pump();
        }

        @Override
        public void handlerFailed(Throwable e) {
            close();
        }
    }

    private final class TasksDone implements DiskJobHandler<Boolean> {
        @Override
        public void onDiskJobDone(Boolean result) {
            tasksRunning = false;
            pump();
        }

        @Override
        public void onDiskJobFailed(Throwable e) {
            tasksRunning = false;
            fail(e);
        }

        @Override
        public void handlerFailed(Throwable e) {
            close();
        }
    }
}
