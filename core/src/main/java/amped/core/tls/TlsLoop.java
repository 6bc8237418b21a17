package amped.core.tls;

import amped.core.DiskJobHandler;
import amped.core.Dispatcher;
import amped.core.IoCompletions;
import amped.core.server.Transport;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;

/** One dispatcher's side of TLS: it wraps the sockets it accepts, with its own spare buffers. Dispatcher thread. */
public final class TlsLoop {

    private final TlsContext context;
    private final Dispatcher dispatcher;
    private final IoCompletions io;
    private final RecordBuffers plainBuffers;
    private final RecordBuffers recordBuffers;
    private final RecordBuffers inBuffers;

    public TlsLoop(TlsContext context, Dispatcher dispatcher, IoCompletions io) {
        this.context = context;
        this.dispatcher = dispatcher;
        this.io = io;
        this.plainBuffers = new RecordBuffers(context.plaintextSize());
        // a few records a send: fewer socket writes for a large file, still a bounded buffer
        this.recordBuffers = new RecordBuffers(4 * context.recordSize());
        this.inBuffers = new RecordBuffers(context.recordSize());
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

    /** Buffers that hold one record of the largest size, for a connection whose records outgrow its idle read. */
    RecordBuffers inBuffers() {
        return inBuffers;
    }

    Dispatcher dispatcher() {
        return dispatcher;
    }

    /** Runs the engine's delegated tasks (a handshake's costly steps) on a TLS helper; done hears of it as an event. */
    void runDelegatedTasks(SSLEngine engine, DiskJobHandler<Boolean> done) {
        List<Runnable> tasks = new ArrayList<>(2);
        for (Runnable t = engine.getDelegatedTask(); t != null; t = engine.getDelegatedTask()) {
            tasks.add(t);
        }
        io.runOnDiskHelper(context.helpers(), () -> {
            for (Runnable t : tasks) {
                t.run();
            }
            return Boolean.TRUE;
        }, done);
    }
}
