package amped.core.log;

import amped.core.DiskWriteHandler;
import amped.core.IoCompletions;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where access-log batches go; shared by all dispatchers. A batch is written off the dispatcher and its
 * completion comes back to the writer's dispatcher as a disk-write event.
 */
public interface AccessLogSink {

    /** Writes all of {@code batch}; then {@code target} gets a disk-write event through {@code io}. */
    void write(ByteBuffer batch, DiskWriteHandler target, IoCompletions io);

    /** Reopens the destination (after log rotation). */
    void reopen() throws IOException;

    /** Reopens the destination if its path now leads elsewhere (renamed or replaced); else does nothing. */
    default void reopenIfMoved() throws IOException {
    }

    void close();

    /** Appends to a file with asynchronous positional writes, run by the disk helpers. */
    static AccessLogSink file(Path path, ExecutorService diskHelpers) throws IOException {
        return new FileSink(path, diskHelpers);
    }

    /** Writes to standard output from a thread of its own, so that a slow terminal stalls no disk read. */
    static AccessLogSink standardOutput() {
        return new StandardOutputSink();
    }

    /**
     * The file sink. Writes are positional (an asynchronous file channel cannot append): each batch
     * reserves its range with one atomic add, so batches of several dispatchers never overlap. After
     * {@link #reopen()} new batches go to the new file and the old one is closed once its last write is done.
     */
    final class FileSink implements AccessLogSink {
        private final Path path;
        private final ExecutorService helpers;
        private volatile Target current;

        private static final class Target {
            final AsynchronousFileChannel channel;
            final AtomicLong position;
            final AtomicInteger inFlight = new AtomicInteger();
            /** The identity (device and inode) of the file opened, or null when unknown. */
            final Object fileKey;
            volatile boolean retired;

            Target(AsynchronousFileChannel channel, long position, Object fileKey) {
                this.channel = channel;
                this.position = new AtomicLong(position);
                this.fileKey = fileKey;
            }

            void closeIfIdle() {
                if (retired && inFlight.get() == 0) {
                    try {
                        channel.close();
                    } catch (IOException ignored) {
                        // nothing left to write to it
                    }
                }
            }
        }

        FileSink(Path path, ExecutorService helpers) throws IOException {
            this.path = path;
            this.helpers = helpers;
            this.current = open();
        }

        private Target open() throws IOException {
            AsynchronousFileChannel channel = AsynchronousFileChannel.open(path,
                    Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), helpers);
            return new Target(channel, channel.size(), fileKey());
        }

        private Object fileKey() {
            try {
                return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            } catch (IOException e) {
                return null;
            }
        }

        @Override
        public synchronized void reopenIfMoved() throws IOException {
            Object now = fileKey();
            if (now == null ? Files.notExists(path) : current.fileKey != null && !now.equals(current.fileKey)) {
                reopen();
            }
        }

        @Override
        public void write(ByteBuffer batch, DiskWriteHandler target, IoCompletions io) {
            Target t;
            while (true) {
                t = current;
                // counted in flight before it is used, so a reopen that retires it now cannot close it under us
                t.inFlight.incrementAndGet();
                if (!t.retired) {
                    break;
                }
                t.inFlight.decrementAndGet();
                t.closeIfIdle();
            }
            Target into = t;
            int total = batch.remaining();
            long start = into.position.getAndAdd(total);
            into.channel.write(batch, start, null, new CompletionHandler<Integer, Void>() {
                @Override
                public void completed(Integer n, Void unused) {
                    if (batch.hasRemaining()) {
                        // the rest of a short write goes on from here, still off the dispatcher
                        into.channel.write(batch, start + total - batch.remaining(), null, this);
                        return;
                    }
                    into.inFlight.decrementAndGet();
                    into.closeIfIdle();
                    io.diskWriteDone(target, total, null);
                }

                @Override
                public void failed(Throwable failure, Void unused) {
                    into.inFlight.decrementAndGet();
                    into.closeIfIdle();
                    io.diskWriteDone(target, 0, failure);
                }
            });
        }

        @Override
        public synchronized void reopen() throws IOException {
            Target old = current;
            current = open();
            old.retired = true;
            old.closeIfIdle();
        }

        @Override
        public void close() {
            Target t = current;
            t.retired = true;
            t.closeIfIdle();
        }
    }

    /** The standard-output sink: blocking writes on one thread of its own. */
    final class StandardOutputSink implements AccessLogSink {
        private final FileChannel out = new FileOutputStream(FileDescriptor.out).getChannel();
        private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "amped-log-stdout");
            t.setDaemon(true);
            return t;
        });

        @Override
        public void write(ByteBuffer batch, DiskWriteHandler target, IoCompletions io) {
            writer.execute(() -> {
                int total = batch.remaining();
                try {
                    while (batch.hasRemaining()) {
                        out.write(batch);
                    }
                    io.diskWriteDone(target, total, null);
                } catch (IOException | RuntimeException e) {
                    io.diskWriteDone(target, 0, e);
                }
            });
        }

        @Override
        public void reopen() {
            // standard output is not rotated by path
        }

        @Override
        public void close() {
            writer.shutdown();
        }
    }
}
