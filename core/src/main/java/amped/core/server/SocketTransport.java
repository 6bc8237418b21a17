package amped.core.server;

import amped.core.IoCompletions;
import amped.core.ReceiveHandler;
import amped.core.SendHandler;
import amped.fileio.sys.ChannelDescriptors;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;

/** A {@link Transport} over an accepted socket, its completions queued to the dispatcher by {@link IoCompletions}. */
final class SocketTransport implements Transport {

    private final AsynchronousSocketChannel channel;
    private final IoCompletions io;

    SocketTransport(AsynchronousSocketChannel channel, IoCompletions io) {
        this.channel = channel;
        this.io = io;
    }

    @Override
    public void receive(ByteBuffer into, ReceiveHandler handler) {
        io.receive(channel, into, handler);
    }

    @Override
    public void send(ByteBuffer[] from, int count, SendHandler handler) {
        if (count == 1) {
            io.send(channel, from[0], handler);
        } else {
            io.send(channel, from, 0, count, handler);
        }
    }

    @Override
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more can be done for this connection
        }
    }

    @Override
    public int descriptor() {
        return ChannelDescriptors.of(channel);
    }

    @Override
    public InetSocketAddress remote() {
        try {
            return (InetSocketAddress) channel.getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }
}
