package amped.core.server;

import amped.core.ReceiveHandler;
import amped.core.SendHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The socket side of a connection, as the connection and its body writer see it: operations are started
 * here and complete later as events on the connection's dispatcher, never as nested calls. The server
 * uses {@link SocketTransport}; tests drive a connection with scripted completions instead of a socket.
 */
public interface Transport {

    /** Starts one read into {@code into}; {@code handler} hears of it as a receive event. */
    void receive(ByteBuffer into, ReceiveHandler handler);

    /** Starts one (gathering) write of the first {@code count} buffers; {@code handler} hears of it as a send event. */
    void send(ByteBuffer[] from, int count, SendHandler handler);

    /** Ends the output (the client sees the end of the stream); reads go on. */
    void shutdownOutput() throws IOException;

    /** Closes the socket; operations in flight then fail and report as events. */
    void close();

    /** The socket's descriptor, for system calls the JDK does not make (sendfile); -1 where there is none. */
    int descriptor();

    /** The client's address, or null when it is already gone. */
    InetSocketAddress remote();

    /** The TLS protocol and cipher suite agreed (e.g. "TLSv1.3 TLS_AES_128_GCM_SHA256"), or null for plain HTTP. */
    default String security() {
        return null;
    }
}
