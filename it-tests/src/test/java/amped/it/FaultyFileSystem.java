package amped.it;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.FileLock;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.spi.FileSystemProvider;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A file system for tests that delegates everything to the default one, except that an
 * {@link AsynchronousFileChannel} opened on a file whose name contains "faulty" reads normally up to
 * {@code failAt} and then fails every read with {@code IOException("injected EIO")}, delivered to the
 * completion handler on the channel's executor, as a real disk error would be. A read that straddles
 * {@code failAt} returns the bytes before it (a short read); the next read fails.
 *
 * <p>Not installed: a {@link Path} from {@link #wrap(Path)} carries this file system, and NIO.2 dispatches
 * {@code Files} and {@code AsynchronousFileChannel.open} through its provider. URIs and watch services are
 * not supported (the server uses neither).
 */
final class FaultyFileSystem extends FileSystem {

    private final FileSystem real;
    private final long failAt;
    private final Provider provider = new Provider();
    /** Asynchronous channels opened through this file system, faulty or not. */
    final AtomicInteger channelsOpened = new AtomicInteger();
    /** Asynchronous channels opened on faulty files. */
    final AtomicInteger faultyChannelsOpened = new AtomicInteger();
    /** Bytes the faulty channels delivered before failing. */
    final AtomicLong faultyBytesRead = new AtomicLong();
    /** Reads failed on purpose. */
    final AtomicInteger injectedFailures = new AtomicInteger();
    /**
     * While not null, reading the attributes of a file whose name contains "stalled" waits until it is
     * counted down (30 s at most), as a stat on a hung mount would: the thread that asked is stuck.
     */
    volatile CountDownLatch stall;
    /** Threads waiting in such a read now. */
    final AtomicInteger stalledNow = new AtomicInteger();

    FaultyFileSystem(FileSystem real, long failAt) {
        this.real = real;
        this.failAt = failAt;
    }

    /** The same path on this file system. */
    Path wrap(Path path) {
        if (path == null) {
            return null;
        }
        if (path.getFileSystem() != real) {
            throw new ProviderMismatchException("not a path of " + real);
        }
        return new FaultyPath(path);
    }

    private Path unwrap(Path path) {
        if (!(path instanceof FaultyPath) || ((FaultyPath) path).getFileSystem() != this) {
            throw new ProviderMismatchException(String.valueOf(path));
        }
        return ((FaultyPath) path).delegate;
    }

    @Override
    public FileSystemProvider provider() {
        return provider;
    }

    @Override
    public void close() {
        throw new UnsupportedOperationException("wraps the default file system");
    }

    @Override
    public boolean isOpen() {
        return real.isOpen();
    }

    @Override
    public boolean isReadOnly() {
        return real.isReadOnly();
    }

    @Override
    public String getSeparator() {
        return real.getSeparator();
    }

    @Override
    public Iterable<Path> getRootDirectories() {
        return () -> map(real.getRootDirectories().iterator());
    }

    @Override
    public Iterable<FileStore> getFileStores() {
        return real.getFileStores();
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return real.supportedFileAttributeViews();
    }

    @Override
    public Path getPath(String first, String... more) {
        return wrap(real.getPath(first, more));
    }

    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
        PathMatcher matcher = real.getPathMatcher(syntaxAndPattern);
        return path -> matcher.matches(unwrap(path));
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        return real.getUserPrincipalLookupService();
    }

    @Override
    public WatchService newWatchService() {
        throw new UnsupportedOperationException();
    }

    private Iterator<Path> map(Iterator<Path> paths) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return paths.hasNext();
            }

            @Override
            public Path next() {
                return wrap(paths.next());
            }
        };
    }

    /** A path of the default file system, seen through this one. */
    private final class FaultyPath implements Path {

        final Path delegate;

        FaultyPath(Path delegate) {
            this.delegate = delegate;
        }

        @Override
        public FileSystem getFileSystem() {
            return FaultyFileSystem.this;
        }

        @Override
        public boolean isAbsolute() {
            return delegate.isAbsolute();
        }

        @Override
        public Path getRoot() {
            return wrap(delegate.getRoot());
        }

        @Override
        public Path getFileName() {
            return wrap(delegate.getFileName());
        }

        @Override
        public Path getParent() {
            return wrap(delegate.getParent());
        }

        @Override
        public int getNameCount() {
            return delegate.getNameCount();
        }

        @Override
        public Path getName(int index) {
            return wrap(delegate.getName(index));
        }

        @Override
        public Path subpath(int beginIndex, int endIndex) {
            return wrap(delegate.subpath(beginIndex, endIndex));
        }

        @Override
        public boolean startsWith(Path other) {
            return other instanceof FaultyPath && other.getFileSystem() == getFileSystem()
                    && delegate.startsWith(((FaultyPath) other).delegate);
        }

        @Override
        public boolean endsWith(Path other) {
            return other instanceof FaultyPath && other.getFileSystem() == getFileSystem()
                    && delegate.endsWith(((FaultyPath) other).delegate);
        }

        @Override
        public Path normalize() {
            return wrap(delegate.normalize());
        }

        @Override
        public Path resolve(Path other) {
            return wrap(delegate.resolve(unwrap(other)));
        }

        @Override
        public Path relativize(Path other) {
            return wrap(delegate.relativize(unwrap(other)));
        }

        @Override
        public URI toUri() {
            throw new UnsupportedOperationException("faulty paths have no URI");
        }

        @Override
        public Path toAbsolutePath() {
            return wrap(delegate.toAbsolutePath());
        }

        @Override
        public Path toRealPath(LinkOption... options) throws IOException {
            return wrap(delegate.toRealPath(options));
        }

        @Override
        public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int compareTo(Path other) {
            return delegate.compareTo(unwrap(other));
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof FaultyPath && ((FaultyPath) other).getFileSystem() == getFileSystem()
                    && delegate.equals(((FaultyPath) other).delegate);
        }

        @Override
        public int hashCode() {
            return delegate.hashCode();
        }

        @Override
        public String toString() {
            return delegate.toString();
        }
    }

    /** Every operation goes to the default provider on the unwrapped path. */
    private final class Provider extends FileSystemProvider {

        private FileSystemProvider realProvider() {
            return real.provider();
        }

        @Override
        public String getScheme() {
            return "faulty";
        }

        @Override
        public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FileSystem getFileSystem(URI uri) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Path getPath(URI uri) {
            throw new UnsupportedOperationException();
        }

        @Override
        public AsynchronousFileChannel newAsynchronousFileChannel(Path path, Set<? extends OpenOption> options,
                                                                  ExecutorService executor, FileAttribute<?>... attrs)
                throws IOException {
            AsynchronousFileChannel channel = realProvider().newAsynchronousFileChannel(unwrap(path), options, executor, attrs);
            channelsOpened.incrementAndGet();
            Path name = path.getFileName();
            if (name == null || !name.toString().contains("faulty")) {
                return channel;
            }
            faultyChannelsOpened.incrementAndGet();
            return new FaultyChannel(channel, executor != null ? executor : ForkJoinPool.commonPool());
        }

        @Override
        public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
                throws IOException {
            return realProvider().newByteChannel(unwrap(path), options, attrs);
        }

        @Override
        public java.nio.channels.FileChannel newFileChannel(Path path, Set<? extends OpenOption> options,
                                                            FileAttribute<?>... attrs) throws IOException {
            return realProvider().newFileChannel(unwrap(path), options, attrs);
        }

        @Override
        public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
                throws IOException {
            DirectoryStream<Path> stream = realProvider().newDirectoryStream(unwrap(dir), p -> filter.accept(wrap(p)));
            return new DirectoryStream<>() {
                @Override
                public Iterator<Path> iterator() {
                    return map(stream.iterator());
                }

                @Override
                public void close() throws IOException {
                    stream.close();
                }
            };
        }

        @Override
        public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
            realProvider().createDirectory(unwrap(dir), attrs);
        }

        @Override
        public void delete(Path path) throws IOException {
            realProvider().delete(unwrap(path));
        }

        @Override
        public void copy(Path source, Path target, CopyOption... options) throws IOException {
            realProvider().copy(unwrap(source), unwrap(target), options);
        }

        @Override
        public void move(Path source, Path target, CopyOption... options) throws IOException {
            realProvider().move(unwrap(source), unwrap(target), options);
        }

        @Override
        public boolean isSameFile(Path path, Path path2) throws IOException {
            return realProvider().isSameFile(unwrap(path), unwrap(path2));
        }

        @Override
        public boolean isHidden(Path path) throws IOException {
            return realProvider().isHidden(unwrap(path));
        }

        @Override
        public FileStore getFileStore(Path path) throws IOException {
            return realProvider().getFileStore(unwrap(path));
        }

        @Override
        public void checkAccess(Path path, AccessMode... modes) throws IOException {
            realProvider().checkAccess(unwrap(path), modes);
        }

        @Override
        public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
            return realProvider().getFileAttributeView(unwrap(path), type, options);
        }

        @Override
        public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
                throws IOException {
            maybeStall(path);
            return realProvider().readAttributes(unwrap(path), type, options);
        }

        @Override
        public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
            maybeStall(path);
            return realProvider().readAttributes(unwrap(path), attributes, options);
        }

        private void maybeStall(Path path) throws IOException {
            CountDownLatch latch = stall;
            Path name = path.getFileName();
            if (latch == null || name == null || !name.toString().contains("stalled")) {
                return;
            }
            stalledNow.incrementAndGet();
            try {
                if (!latch.await(30, TimeUnit.SECONDS)) {
                    throw new IOException("stalled for 30 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while stalled");
            } finally {
                stalledNow.decrementAndGet();
            }
        }

        @Override
        public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
            realProvider().setAttribute(unwrap(path), attribute, value, options);
        }
    }

    /** The real channel, whose reads at or past {@code failAt} fail. */
    private final class FaultyChannel extends AsynchronousFileChannel {

        private final AsynchronousFileChannel delegate;
        private final java.util.concurrent.Executor executor;

        FaultyChannel(AsynchronousFileChannel delegate, java.util.concurrent.Executor executor) {
            this.delegate = delegate;
            this.executor = executor;
        }

        @Override
        public <A> void read(ByteBuffer dst, long position, A attachment, CompletionHandler<Integer, ? super A> handler) {
            if (position >= failAt && dst.hasRemaining()) {
                injectedFailures.incrementAndGet();
                executor.execute(() -> handler.failed(new IOException("injected EIO"), attachment));
                return;
            }
            int allowed = (int) Math.min(dst.remaining(), Math.max(0, failAt - position));
            // read into a window of dst that ends at failAt; dst's position moves as a real read's would
            ByteBuffer window = dst.duplicate().limit(dst.position() + allowed);
            delegate.read(window, position, attachment, new CompletionHandler<Integer, A>() {
                @Override
                public void completed(Integer bytes, A a) {
                    if (bytes > 0) {
                        dst.position(window.position());
                        faultyBytesRead.addAndGet(bytes);
                    }
                    handler.completed(bytes, a);
                }

                @Override
                public void failed(Throwable failure, A a) {
                    handler.failed(failure, a);
                }
            });
        }

        @Override
        public Future<Integer> read(ByteBuffer dst, long position) {
            CompletableFuture<Integer> result = new CompletableFuture<>();
            read(dst, position, null, new CompletionHandler<Integer, Void>() {
                @Override
                public void completed(Integer bytes, Void a) {
                    result.complete(bytes);
                }

                @Override
                public void failed(Throwable failure, Void a) {
                    result.completeExceptionally(failure);
                }
            });
            return result;
        }

        @Override
        public long size() throws IOException {
            return delegate.size();
        }

        @Override
        public AsynchronousFileChannel truncate(long size) throws IOException {
            delegate.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            delegate.force(metaData);
        }

        @Override
        public <A> void lock(long position, long size, boolean shared, A attachment,
                             CompletionHandler<FileLock, ? super A> handler) {
            delegate.lock(position, size, shared, attachment, handler);
        }

        @Override
        public Future<FileLock> lock(long position, long size, boolean shared) {
            return delegate.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return delegate.tryLock(position, size, shared);
        }

        @Override
        public <A> void write(ByteBuffer src, long position, A attachment, CompletionHandler<Integer, ? super A> handler) {
            delegate.write(src, position, attachment, handler);
        }

        @Override
        public Future<Integer> write(ByteBuffer src, long position) {
            return delegate.write(src, position);
        }

        @Override
        public boolean isOpen() {
            return delegate.isOpen();
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }
    }
}
