package amped.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How another thread gets a task run on a channel group's one thread, waking it from its poll.
 *
 * <p>The JDK's groups are executors that do exactly that: the task is queued and one byte written to the
 * pipe the poll watches (coalesced while a wake-up is pending). That is the self-pipe trick with no extra
 * descriptor and no read to re-arm per wake-up, so it is used whenever the group offers it. Otherwise a
 * loopback socket pair does the same: a read always pending on one end in the group, one byte written to
 * the other only when no wake-up is pending already.
 */
final class GroupWakeUp {

    private GroupWakeUp() {
    }

    static Executor of(AsynchronousChannelGroup group) {
        if (group instanceof Executor jdk) {
            return jdk;
        }
        return new WakeSocket(group);
    }

    /** The socket-pair wake-up, for a group that is not an executor (and for tests of this path). */
    static final class WakeSocket implements Executor, CompletionHandler<Integer, Void> {
        private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean signalled = new AtomicBoolean();
        private final ByteBuffer received = ByteBuffer.allocate(64);
        private final AsynchronousSocketChannel reader;
        private final SocketChannel writer;

        WakeSocket(AsynchronousChannelGroup group) {
            try (ServerSocketChannel rendezvous = ServerSocketChannel.open()) {
                rendezvous.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
                reader = AsynchronousSocketChannel.open(group);
                var connected = reader.connect(rendezvous.getLocalAddress());
                writer = rendezvous.accept();
                connected.get(10, TimeUnit.SECONDS);
                writer.setOption(StandardSocketOptions.TCP_NODELAY, true);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make the dispatcher's wake-up socket", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new UncheckedIOException(new IOException("cannot connect the dispatcher's wake-up socket", e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted making the dispatcher's wake-up socket", e);
            }
            reader.read(received, null, this);
        }

        @Override
        public void execute(Runnable task) {
            tasks.offer(task);
            if (!signalled.get() && signalled.compareAndSet(false, true)) {
                try {
                    synchronized (writer) {
                        writer.write(ByteBuffer.wrap(new byte[] {1}));
                    }
                } catch (IOException e) {
                    throw new java.util.concurrent.RejectedExecutionException("the dispatcher has stopped", e);
                }
            }
        }

        @Override
        public void completed(Integer bytes, Void unused) {
            if (bytes < 0) {
                close();
                return;
            }
            received.clear();
            // reset before running: a task queued from now on writes a new byte
            signalled.set(false);
            for (Runnable task; (task = tasks.poll()) != null; ) {
                task.run();
            }
            reader.read(received, null, this);
        }

        @Override
        public void failed(Throwable failure, Void unused) {
            close();
        }

        private void close() {
            try {
                writer.close();
            } catch (IOException ignored) {
                // closing the write end of a wake-up pair: nothing to do about it
            }
        }
    }
}
