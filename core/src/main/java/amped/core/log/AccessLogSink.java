package amped.core.log;

import amped.core.DiskWriteHandler;
import amped.core.IoCompletions;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Where access-log batches go; one for the server, shared by all dispatchers. It has a thread of its own
 * that writes batches with plain blocking writes, so the log never waits behind disk reads and a wedged
 * disk helper cannot stop it. Dispatchers hand batches over through a lock-free queue and never wait; each
 * has at most one batch here at a time (see {@link AccessLogWriter}), which bounds what the queue holds.
 * A batch written, or failed, comes back to its dispatcher as a disk-write event.
 */
public final class AccessLogSink {

    private record Batch(ByteBuffer bytes, DiskWriteHandler target, IoCompletions io) {
    }

    /** Most batches gathered into one write. */
    private static final int GATHER = 16;

    /** The file, or null for standard output (not rotated by path). */
    private final Path path;
    private final ConcurrentLinkedQueue<Batch> queue = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    /** Set by the writer just before it parks, so that a dispatcher wakes it only when it has to. */
    private volatile boolean sleeping;
    private volatile boolean closing;
    /** Written by reopen (any thread), read by the writer before each write. */
    private volatile Target current;
    /** Targets replaced by a reopen; the writer closes them between writes, never under one. */
    private final ConcurrentLinkedQueue<Target> retired = new ConcurrentLinkedQueue<>();

    private record Target(FileChannel channel, Object fileKey) {
    }

    private AccessLogSink(Path path, Target first) {
        this.path = path;
        this.current = first;
        this.thread = Thread.ofPlatform().name("amped-access-log").daemon().unstarted(this::run);
        thread.start();
    }

    /** Appends to a file; {@link #reopen()} and {@link #reopenIfMoved()} follow rotation. */
    public static AccessLogSink file(Path path) throws IOException {
        return new AccessLogSink(path, open(path));
    }

    /** Writes to standard output. */
    public static AccessLogSink standardOutput() {
        return new AccessLogSink(null, new Target(new FileOutputStream(FileDescriptor.out).getChannel(), null));
    }

    private static Target open(Path path) throws IOException {
        // appending: one writer thread orders the batches, so no positions are reserved
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        return new Target(channel, fileKey(path));
    }

    /** The identity (device and inode) of the file at {@code path}, or null when unknown. */
    private static Object fileKey(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** Hands {@code batch} to the writer; then {@code target} gets a disk-write event through {@code io}. Never blocks. */
    public void write(ByteBuffer batch, DiskWriteHandler target, IoCompletions io) {
        queue.offer(new Batch(batch, target, io));
        if (sleeping) {
            LockSupport.unpark(thread);
        }
    }

    /** Reopens the destination (after log rotation): later batches go to the file now at the path. */
    public void reopen() throws IOException {
        if (path == null) {
            return;
        }
        synchronized (this) {
            Target old = current;
            current = open(path);
            retired.offer(old);
        }
        LockSupport.unpark(thread);
    }

    /** Reopens the destination if its path now leads elsewhere (renamed or replaced); else does nothing. */
    public synchronized void reopenIfMoved() throws IOException {
        if (path == null) {
            return;
        }
        Object now = fileKey(path);
        Object was = current.fileKey();
        if (now == null ? Files.notExists(path) : was != null && !now.equals(was)) {
            reopen();
        }
    }

    /**
     * Stops the writer once what was handed over is written (waiting a few seconds at most: a destination
     * that blocks for good is then closed under it), and closes the file.
     */
    public void close() {
        closing = true;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeRetired();
        if (path != null) {
            closeQuietly(current);
        }
    }

    private void run() {
        List<Batch> gathered = new ArrayList<>(GATHER);
        while (true) {
            closeRetired();
            Batch b;
            while (gathered.size() < GATHER && (b = queue.poll()) != null) {
                gathered.add(b);
            }
            if (!gathered.isEmpty()) {
                writeAll(gathered);
                gathered.clear();
                continue;
            }
            if (closing) {
                return;
            }
            sleeping = true;
            if (queue.isEmpty() && !closing && retired.isEmpty()) {
                LockSupport.park(this);
            }
            sleeping = false;
        }
    }

    /** One gathering write of several dispatchers' batches; each dispatcher then hears how its batch went. */
    private void writeAll(List<Batch> batches) {
        ByteBuffer[] buffers = new ByteBuffer[batches.size()];
        int[] sizes = new int[buffers.length];
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = batches.get(i).bytes();
            sizes[i] = buffers[i].remaining();
        }
        Throwable failure = null;
        try {
            FileChannel out = current.channel();
            while (buffers[buffers.length - 1].hasRemaining()) {
                out.write(buffers);
            }
        } catch (IOException | RuntimeException e) {
            failure = e;
        }
        for (int i = 0; i < buffers.length; i++) {
            Batch b = batches.get(i);
            // a batch written whole before a failure counts as written
            if (!buffers[i].hasRemaining()) {
                b.io().diskWriteDone(b.target(), sizes[i], null);
            } else {
                b.io().diskWriteDone(b.target(), 0, failure);
            }
        }
    }

    private void closeRetired() {
        Target t;
        while ((t = retired.poll()) != null) {
            closeQuietly(t);
        }
    }

    private static void closeQuietly(Target t) {
        try {
            t.channel().close();
        } catch (IOException ignored) {
            // nothing more is written to it
        }
    }
}
