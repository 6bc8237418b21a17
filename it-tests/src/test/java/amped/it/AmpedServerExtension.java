package amped.it;

import amped.core.server.ServerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts in-process servers for a test and stops them after it: after each test when registered on an
 * instance field, after the class when registered on a static one.
 * <pre>{@code
 * @RegisterExtension
 * final AmpedServerExtension servers = new AmpedServerExtension();
 * ... server = servers.start(root, b -> b.cacheSize(0));
 * }</pre>
 * Before stopping a server it waits until every file and buffer is released (see
 * {@link TestServer#awaitNothingHeld()}); stopping checks that no handler threw. A server the test
 * already closed or shut down is left as it is.
 */
final class AmpedServerExtension implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    private final boolean awaitNothingHeld;
    private final List<TestServer> started = new ArrayList<>();
    private boolean classScoped;

    AmpedServerExtension() {
        this(true);
    }

    private AmpedServerExtension(boolean awaitNothingHeld) {
        this.awaitNothingHeld = awaitNothingHeld;
    }

    /** For tests that check what is held themselves, where it matters, and then only stop the server. */
    static AmpedServerExtension withoutHoldCheck() {
        return new AmpedServerExtension(false);
    }

    TestServer start(Path root) throws IOException {
        return start(root, b -> { });
    }

    TestServer start(Path root, Consumer<ServerConfig.Builder> customize) throws IOException {
        TestServer server = TestServer.start(root, customize);
        started.add(server);
        return server;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // only a static field's extension is called before all
        classScoped = true;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!classScoped) {
            stopAll();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stopAll();
    }

    /** Stops every server, even when a check on one fails; the first failure is thrown. */
    private void stopAll() {
        Throwable first = null;
        for (TestServer server : started) {
            try {
                if (awaitNothingHeld && !server.stopped()) {
                    server.awaitNothingHeld();
                }
            } catch (Throwable t) {
                first = first == null ? t : first;
            }
            try {
                server.close();
            } catch (Throwable t) {
                first = first == null ? t : first;
            }
        }
        started.clear();
        if (first instanceof RuntimeException e) {
            throw e;
        }
        if (first instanceof Error e) {
            throw e;
        }
        if (first != null) {
            throw new IllegalStateException(first);
        }
    }
}
