package amped.core;

import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;

/**
 * Channel adapters: start an asynchronous operation on a JDK channel with a completion handler that does
 * nothing but turn the result into an {@link Event} for this dispatcher. One stateless handler instance
 * per operation kind and dispatcher, the event's target riding along as the attachment, so starting an
 * operation allocates nothing beyond what the JDK does.
 */
public final class IoCompletions {

    private final Dispatcher dispatcher;
    private final CompletionHandler<AsynchronousSocketChannel, AcceptHandler> accepted;
    private final CompletionHandler<Integer, ReceiveHandler> received;
    private final CompletionHandler<Integer, SendHandler> sent;
    private final CompletionHandler<Long, SendHandler> sentGathering;
    private final CompletionHandler<Integer, DiskReadHandler> diskRead;
    private final CompletionHandler<Integer, DiskWriteHandler> diskWrite;

    public IoCompletions(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
        this.accepted = handler(Event.Accepted::new, Event.AcceptFailed::new);
        this.received = handler(Event.Received::new, Event.ReceiveFailed::new);
        this.sent = handler((t, n) -> new Event.Sent(t, n), Event.SendFailed::new);
        this.sentGathering = handler(Event.Sent::new, Event.SendFailed::new);
        this.diskRead = handler(Event.DiskReadDone::new, Event.DiskReadFailed::new);
        this.diskWrite = handler(Event.DiskWritten::new, Event.DiskWriteFailed::new);
    }

    public void accept(AsynchronousServerSocketChannel server, AcceptHandler target) {
        server.accept(target, accepted);
    }

    public void receive(AsynchronousSocketChannel channel, ByteBuffer into, ReceiveHandler target) {
        channel.read(into, target, received);
    }

    public void send(AsynchronousSocketChannel channel, ByteBuffer from, SendHandler target) {
        channel.write(from, target, sent);
    }

    public void send(AsynchronousSocketChannel channel, ByteBuffer[] from, int offset, int length, SendHandler target) {
        channel.write(from, offset, length, 0, java.util.concurrent.TimeUnit.MILLISECONDS, target, sentGathering);
    }

    /** Reports a write done some other way (a blocking write on a helper) as a disk-write event. Any thread. */
    public void diskWriteDone(DiskWriteHandler target, int bytes, Throwable failure) {
        if (failure == null) {
            diskWrite.completed(bytes, target);
        } else {
            diskWrite.failed(failure, target);
        }
    }

    /** The completion handler of file reads: readers start the read themselves and pass this along. */
    public CompletionHandler<Integer, DiskReadHandler> diskReadCompletion() {
        return diskRead;
    }

    /** Runs {@code job} on a disk helper; its result (or failure) comes back as an event. */
    public <R> void runOnDiskHelper(java.util.concurrent.Executor helpers, java.util.concurrent.Callable<R> job,
                                    DiskJobHandler<R> target) {
        helpers.execute(() -> {
            R result;
            try {
                result = job.call();
            } catch (Throwable failure) {
                dispatcher.enqueue(new Event.DiskJobFailed<>(target, failure));
                return;
            }
            jobDone(target, result);
        });
    }

    /** Reports a job's result obtained some other way (another request's job did it) as a disk-job event. Any thread. */
    public <R> void jobDone(DiskJobHandler<R> target, R result) {
        dispatcher.enqueue(new Event.DiskJobDone<>(target, result));
    }

    private interface Completed<V, T> {
        Event event(T target, V value);
    }

    private interface Failed<T> {
        Event event(T target, Throwable failure);
    }

    private <V, T> CompletionHandler<V, T> handler(Completed<V, T> completed, Failed<T> failed) {
        return new CompletionHandler<>() {
            @Override
            public void completed(V value, T target) {
                dispatcher.enqueue(completed.event(target, value));
            }

            @Override
            public void failed(Throwable failure, T target) {
                dispatcher.enqueue(failed.event(target, failure));
            }
        };
    }
}
