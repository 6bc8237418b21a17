package amped.core;

import java.nio.channels.AsynchronousSocketChannel;

/**
 * What the dispatcher runs: the completion of an I/O operation, already performed (proactor style), paired
 * with the handler registered for it, or a task. Events are small and immutable; a completion handler
 * does nothing but build one and enqueue it.
 */
public sealed interface Event {

    /** Runs the handler this event is for. */
    void dispatch();

    /** The handler to tell when {@link #dispatch()} throws, or null. */
    EventTarget target();

    record Accepted(AcceptHandler target, AsynchronousSocketChannel channel) implements Event {
        @Override
        public void dispatch() {
            target.onAccepted(channel);
        }
    }

    record AcceptFailed(AcceptHandler target, Throwable failure) implements Event {
        @Override
        public void dispatch() {
            target.onAcceptFailed(failure);
        }
    }

    record Received(ReceiveHandler target, int bytes) implements Event {
        @Override
        public void dispatch() {
            target.onReceived(bytes);
        }
    }

    record ReceiveFailed(ReceiveHandler target, Throwable failure) implements Event {
        @Override
        public void dispatch() {
            target.onReceiveFailed(failure);
        }
    }

    record Sent(SendHandler target, long bytes) implements Event {
        @Override
        public void dispatch() {
            target.onSent(bytes);
        }
    }

    record SendFailed(SendHandler target, Throwable failure) implements Event {
        @Override
        public void dispatch() {
            target.onSendFailed(failure);
        }
    }

    record DiskReadDone(DiskReadHandler target, int bytes) implements Event {
        @Override
        public void dispatch() {
            target.onDiskRead(bytes);
        }
    }

    record DiskReadFailed(DiskReadHandler target, Throwable failure) implements Event {
        @Override
        public void dispatch() {
            target.onDiskReadFailed(failure);
        }
    }

    record DiskJobDone<R>(DiskJobHandler<R> target, R result) implements Event {
        @Override
        public void dispatch() {
            target.onDiskJobDone(result);
        }
    }

    record DiskJobFailed<R>(DiskJobHandler<R> target, Throwable failure) implements Event {
        @Override
        public void dispatch() {
            target.onDiskJobFailed(failure);
        }
    }

    /**
     * A task for the dispatcher thread: the channel group's completion invocations (the dispatcher is the
     * group's executor), and work other threads hand over (shutdown, timers armed from outside).
     */
    record Task(Runnable task) implements Event {
        @Override
        public void dispatch() {
            task.run();
        }

        @Override
        public EventTarget target() {
            return null;
        }
    }
}
