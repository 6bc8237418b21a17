package amped.core.tls;

import amped.core.DiskJobHandler;
import amped.core.Dispatcher;
import amped.core.IoCompletions;
import amped.core.server.Transport;
import java.util.concurrent.Callable;

/** One dispatcher's side of TLS: it wraps the sockets it accepts, with its own spare buffers. Dispatcher thread. */
public final class TlsLoop {

    private final TlsContext context;
    private final Dispatcher dispatcher;
    private final IoCompletions io;
    private final RecordBuffers plainBuffers;
    private final RecordBuffers recordBuffers;

    public TlsLoop(TlsContext context, Dispatcher dispatcher, IoCompletions io) {
        this.context = context;
        this.dispatcher = dispatcher;
        this.io = io;
        this.plainBuffers = new RecordBuffers(context.plaintextSize());
        // a few records a send: fewer socket writes for a large file, still a bounded buffer
        this.recordBuffers = new RecordBuffers(4 * context.recordSize());
    }

    /** TLS over {@code socket}, with the certificate current now (a reload changes only later connections). */
    public Transport wrap(Transport socket) {
        return new TlsTransport(socket, context.newEngine(), this);
    }

    int recordSize() {
        return context.recordSize();
    }

    RecordBuffers plainBuffers() {
        return plainBuffers;
    }

    RecordBuffers recordBuffers() {
        return recordBuffers;
    }

    Dispatcher dispatcher() {
        return dispatcher;
    }

    /** Runs a handshake's delegated tasks on a TLS helper; done is told on the dispatcher. */
    void runOnHelper(Callable<Boolean> tasks, DiskJobHandler<Boolean> done) {
        io.runOnDiskHelper(context.helpers(), tasks, done);
    }
}
