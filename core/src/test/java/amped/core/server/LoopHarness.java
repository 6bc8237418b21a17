package amped.core.server;

import amped.fileio.ServedTree;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A serving loop with its dispatcher, content chain and disk helpers, but no listener and no socket:
 * connections are driven through {@link ScriptedTransport}s. Everything a test does to a connection runs
 * on the loop's dispatcher, as in the server.
 */
final class LoopHarness implements AutoCloseable {

    final ServerConfig config;
    final ServingLoop loop;
    private final ExecutorService diskHelpers = Executors.newFixedThreadPool(2);

    LoopHarness(Path root, UnaryOperator<ServerConfig.Builder> options) throws IOException {
        config = options.apply(ServerConfig.builder(root)).build();
        ServedTree tree = new ServedTree(config.root, new ServedTree.Options(config.showHidden, config.followSymlinks));
        DiskContent disk = new DiskContent(tree, diskHelpers, config);
        loop = new ServingLoop(0, config, disk, ContentSource.below(disk, config), new FileService(disk, config.cacheControl), config.bufferMemory,
                config.maxConnections, null, null, new ServingRules(config), null, null);
        loop.start();
    }

    /** Runs {@code action} on the dispatcher and returns its result. */
    <T> T onLoop(Callable<T> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.dispatcher.execute(() -> {
            try {
                result.complete(action.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("on the loop: " + e, e);
        }
    }

    void onLoop(Runnable action) {
        onLoop(() -> {
            action.run();
            return null;
        });
    }

    /** A new connection over a scripted transport, started (its first read pending). */
    ScriptedTransport connect() {
        return onLoop(() -> {
            ScriptedTransport t = new ScriptedTransport(loop.dispatcher);
            loop.open(t);
            return t;
        });
    }

    int buffersInUse() {
        return onLoop(loop.pool::inUseCount);
    }

    int openFiles() {
        return loop.disk.openFiles();
    }

    @Override
    public void close() {
        loop.closeAll().orTimeout(5, TimeUnit.SECONDS).join();
        loop.stop();
        diskHelpers.shutdownNow();
    }
}
