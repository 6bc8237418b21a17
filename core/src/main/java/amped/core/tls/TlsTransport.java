package amped.core.tls;

import amped.core.DiskJobHandler;
import amped.core.ReceiveHandler;
import amped.core.SendHandler;
import amped.core.server.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
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
final class TlsTransport implements Transport, RecordSocket.Owner, DiskJobHandler<Boolean> {

    private static final Logger log = LoggerFactory.getLogger(TlsTransport.class);
    /** What records carry besides the writer's plaintext: handshake or alert records, close_notify. */
    private static final long HANDSHAKE = -1;
    private static final long CLOSE_NOTIFY = -2;

    private final SSLEngine engine;
    private final TlsLoop loop;
    final RecordSocket records; // its input buffer is looked at by tests
    /** Plaintext decrypted and not yet taken by the reader (write mode), or null. */
    private ByteBuffer plain;
    private final WaitingCalls calls;
    private boolean tasksRunning;
    private boolean handshakeStarted;
    /** The client's close_notify arrived. */
    private boolean peerClosed;
    private boolean outputShutWanted;
    private boolean closed;
    /** Set once the conversation cannot go on: reported to the reader and writer that ask. */
    private Throwable failure;
    /** Whether the failure waits for an alert or clear-text answer to go out before it is reported. */
    private boolean failAfterSend;

    TlsTransport(Transport socket, SSLEngine engine, TlsLoop loop) {
        this.engine = engine;
        this.loop = loop;
        this.records = new RecordSocket(socket, loop.recordBuffers(), loop.inBuffers(), this);
        this.calls = new WaitingCalls(loop.dispatcher());
    }

    @Override
    public void receive(ByteBuffer into, ReceiveHandler handler) {
        calls.read(into, handler);
        pump();
    }

    @Override
    public void send(ByteBuffer[] from, int count, SendHandler handler) {
        calls.write(from, count, handler);
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
        records.close();
        if (failure == null) {
            failure = new ClosedChannelException();
        }
        calls.fail(failure);
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
        return records.remote();
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
            if (!failAfterSend || !records.writing()) {
                calls.fail(failure);
            }
            return;
        }
        try {
            if (!handshakeStarted) {
                if (records.in().position() == 0) {
                    records.read();
                    return;
                }
                // a TLS connection begins with a handshake record (22); HTTP with a method's letter
                if (records.in().get(0) != 22) {
                    answerPlainHttp();
                    return;
                }
                handshakeStarted = true;
                engine.beginHandshake();
            }
            while (handshakeStep()) {
                // one step after another until the handshake waits for the socket or a helper, or is done
            }
            if (!handshaking()) {
                if (calls.writer != null && !records.writing()) {
                    encrypt();
                }
                if (calls.reader != null) {
                    decrypt();
                }
                if (outputShutWanted && !records.writing() && calls.writer == null) {
                    outputShutWanted = false;
                    wrapControl(CLOSE_NOTIFY);
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
    private boolean handshakeStep() throws SSLException {
        switch (engine.getHandshakeStatus()) {
            case NEED_TASK -> {
                tasksRunning = true;
                loop.runDelegatedTasks(engine, this);
                return false;
            }
            case NEED_WRAP -> {
                return !records.writing() && !wrapControl(HANDSHAKE);
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

    /** Plain HTTP on the TLS port: answered 400 in clear text, as nginx does, then closed. */
    private void answerPlainHttp() {
        failure = new SSLException("plain HTTP on the TLS port");
        failAfterSend = true;
        records.answerPlainHttp(HANDSHAKE);
    }

    /** Wraps what the engine has to say by itself (handshake, alert, close_notify); true when records went out. */
    private boolean wrapControl(long kind) throws SSLException {
        ByteBuffer out = records.buffer();
        try {
            engine.wrap(ByteBuffer.allocate(0), out);
        } catch (SSLException | RuntimeException e) {
            records.giveBack(out);
            throw e;
        }
        out.flip();
        if (!out.hasRemaining()) {
            records.giveBack(out);
            if (kind == CLOSE_NOTIFY) {
                shutSocketOutput();
            }
            return false;
        }
        records.write(out, kind);
        return true;
    }

    /**
     * Decrypts what the socket brought into {@link #plain}; reads the socket when a whole record is not
     * there yet. True when something was decrypted or the engine moved on.
     */
    private boolean unwrap() throws SSLException {
        ByteBuffer in = records.in();
        if (in.position() == 0) {
            records.read();
            return false;
        }
        if (plain == null) {
            plain = loop.plainBuffers().take();
        }
        in.flip();
        SSLEngineResult r;
        try {
            r = engine.unwrap(in, plain);
        } finally {
            in.compact();
        }
        switch (r.getStatus()) {
            case BUFFER_UNDERFLOW -> {
                records.read();
                return false;
            }
            case CLOSED -> {
                peerClosed = true;
                return false;
            }
            case BUFFER_OVERFLOW -> {
                return false; // the plaintext held already must be taken first
            }
            default -> {
                return r.bytesConsumed() > 0 || r.bytesProduced() > 0;
            }
        }
    }

    // ---- application data ----

    /** Hands the reader plaintext already decrypted, decrypting more first when there is none. */
    private void decrypt() throws SSLException {
        while (plain == null || plain.position() == 0) {
            if (peerClosed || records.ended() && records.in().position() == 0) {
                calls.received(-1);
                return;
            }
            boolean moved = unwrap();
            if (handshaking()) {
                // a post-handshake message (a key update) wants an answer first
                loop.dispatcher().execute(this::pump);
                return;
            }
            if (!moved && !peerClosed) {
                if (records.ended()) {
                    calls.received(-1); // the socket ended within a record
                }
                return; // a read of the socket is pending
            }
        }
        plain.flip();
        ByteBuffer into = calls.readInto;
        int n = Math.min(plain.remaining(), into.remaining());
        into.put(into.position(), plain, plain.position(), n);
        into.position(into.position() + n);
        plain.position(plain.position() + n);
        plain.compact();
        if (plain.position() == 0) {
            loop.plainBuffers().give(plain);
            plain = null;
        }
        calls.received(n);
    }

    /** Encrypts as much of the writer's buffers as a record buffer holds and sends it. */
    private void encrypt() throws SSLException {
        ByteBuffer out = records.buffer();
        long consumed = 0;
        try {
            while (out.remaining() >= loop.recordSize() && calls.plaintextLeft()) {
                SSLEngineResult r = engine.wrap(calls.sendFrom, 0, calls.sendCount, out);
                consumed += r.bytesConsumed();
                if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                    throw new SSLException("the TLS output is closed");
                }
                if (r.getStatus() != SSLEngineResult.Status.OK) {
                    break;
                }
            }
        } catch (SSLException | RuntimeException e) {
            records.giveBack(out);
            throw e;
        }
        out.flip();
        if (out.hasRemaining()) {
            records.write(out, consumed);
        } else {
            records.giveBack(out);
            calls.sent(consumed);
        }
    }

    // ---- what the socket reports ----

    @Override
    public void recordsRead() {
        if (records.ended() && (!handshakeStarted || handshaking())) {
            failure = new ClosedChannelException();
        }
        pump();
    }

    @Override
    public void recordsWritten(long carried) {
        if (carried >= 0 && calls.writer != null) {
            calls.sent(carried);
        } else if (carried == CLOSE_NOTIFY) {
            shutSocketOutput();
        }
        pump();
    }

    private void shutSocketOutput() {
        try {
            records.shutdownOutput();
        } catch (IOException e) {
            log.debug("shutting the output of {}: {}", remote(), e.toString());
        }
    }

    @Override
    public void socketFailed(Throwable e) {
        if (failure == null) {
            failure = e;
        }
        failAfterSend = false;
        pump();
    }

    @Override
    public void ownerFailed(Throwable e) {
        close();
    }

    private void fail(Throwable e) {
        log.debug("TLS with {} failed: {}", remote(), e.toString());
        failure = e;
        if (!records.writing() && !(e instanceof SSLException && sendAlert())) {
            calls.fail(failure);
        }
    }

    /** After a failed handshake the engine may have an alert to send: sent, then the failure reported. */
    private boolean sendAlert() {
        try {
            engine.closeOutbound();
            failAfterSend = wrapControl(HANDSHAKE);
            return failAfterSend;
        } catch (SSLException | RuntimeException e) {
            return false;
        }
    }

    // ---- the handshake's delegated tasks done on a helper ----

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
