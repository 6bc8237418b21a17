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

    /** What kind of event this is, for the per-kind counters. */
    Kind kind();

    /** The kinds of events, in the order of {@link Kind#label()} for metrics. */
    enum Kind {
        ACCEPT("accept"), ACCEPT_FAILED("accept_failed"),
        RECEIVE("receive"), RECEIVE_FAILED("receive_failed"),
        SEND("send_complete"), SEND_FAILED("send_failed"),
        DISK_READ("disk_read_complete"), DISK_READ_FAILED("disk_read_failed"),
        DISK_JOB("disk_job_complete"), DISK_JOB_FAILED("disk_job_failed"),
        DISK_WRITE("disk_write_complete"), DISK_WRITE_FAILED("disk_write_failed"),
        TASK("task");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    record Accepted(AcceptHandler target, AsynchronousSocketChannel channel) implements Event {
        @Override
        public Kind kind() {
            return Kind.ACCEPT;
        }

        @Override
        public void dispatch() {
            target.onAccepted(channel);
        }
    }

    record AcceptFailed(AcceptHandler target, Throwable failure) implements Event {
        @Override
        public Kind kind() {
            return Kind.ACCEPT_FAILED;
        }

        @Override
        public void dispatch() {
            target.onAcceptFailed(failure);
        }
    }

    record Received(ReceiveHandler target, int bytes) implements Event {
        @Override
        public Kind kind() {
            return Kind.RECEIVE;
        }

        @Override
        public void dispatch() {
            target.onReceived(bytes);
        }
    }

    record ReceiveFailed(ReceiveHandler target, Throwable failure) implements Event {
        @Override
        public Kind kind() {
            return Kind.RECEIVE_FAILED;
        }

        @Override
        public void dispatch() {
            target.onReceiveFailed(failure);
        }
    }

    record Sent(SendHandler target, long bytes) implements Event {
        @Override
        public Kind kind() {
            return Kind.SEND;
        }

        @Override
        public void dispatch() {
            target.onSent(bytes);
        }
    }

    record SendFailed(SendHandler target, Throwable failure) implements Event {
        @Override
        public Kind kind() {
            return Kind.SEND_FAILED;
        }

        @Override
        public void dispatch() {
            target.onSendFailed(failure);
        }
    }

    record DiskReadDone(DiskReadHandler target, int bytes) implements Event {
        @Override
        public Kind kind() {
            return Kind.DISK_READ;
        }

        @Override
        public void dispatch() {
            target.onDiskRead(bytes);
        }
    }

    record DiskReadFailed(DiskReadHandler target, Throwable failure) implements Event {
        @Override
        public Kind kind() {
            return Kind.DISK_READ_FAILED;
        }

        @Override
        public void dispatch() {
            target.onDiskReadFailed(failure);
        }
    }

    record DiskJobDone<R>(DiskJobHandler<R> target, R result) implements Event {
        @Override
        public Kind kind() {
            return Kind.DISK_JOB;
        }

        @Override
        public void dispatch() {
            target.onDiskJobDone(result);
        }
    }

    record DiskJobFailed<R>(DiskJobHandler<R> target, Throwable failure) implements Event {
        @Override
        public Kind kind() {
            return Kind.DISK_JOB_FAILED;
        }

        @Override
        public void dispatch() {
            target.onDiskJobFailed(failure);
        }
    }

    record DiskWritten(DiskWriteHandler target, int bytes) implements Event {
        @Override
        public Kind kind() {
            return Kind.DISK_WRITE;
        }

        @Override
        public void dispatch() {
            target.onDiskWritten(bytes);
        }
    }

    record DiskWriteFailed(DiskWriteHandler target, Throwable failure) implements Event {
        @Override
        public Kind kind() {
            return Kind.DISK_WRITE_FAILED;
        }

        @Override
        public void dispatch() {
            target.onDiskWriteFailed(failure);
        }
    }


    /**
     * A task for the dispatcher thread: work other threads hand over (connections adopted from another
     * loop's listener, counters asked for, shutdown) and hand-overs it defers to itself (a pooled buffer
     * for a waiting connection).
     */
    record Task(Runnable task) implements Event {
        @Override
        public Kind kind() {
            return Kind.TASK;
        }

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
