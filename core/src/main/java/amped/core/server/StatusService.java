package amped.core.server;

import amped.protocol.RequestTarget;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The operator's endpoints under the status path (e.g. {@code /-/status}): {@code /} the live HTML page,
 * {@code /metrics} Prometheus text, {@code /health} 200 while serving and 503 once a graceful shutdown has
 * begun (so a load balancer drains the instance) or while the disk helpers do not answer (see
 * {@link DiskProbe}). Reachable from loopback only, unless made public; or, with a listener of their own,
 * there only (to whoever reaches its address) and never on the main port.
 * Gathering the counters of every dispatcher is asynchronous: each dispatcher answers on its own thread,
 * and the reply is handed back to the asking connection's dispatcher. No dispatcher ever waits.
 */
final class StatusService {

    /** A response made in memory. */
    record Generated(int status, String contentType, byte[] body) {
    }

    private static final String TEXT = "text/plain; charset=utf-8";

    private final String prefix;
    private final boolean publicAccess;
    /** Whether they have a listener of their own. */
    private final boolean ownListener;
    private final AmpedServer server;
    private final long startedMillis = System.currentTimeMillis();

    /** @param prefix the status path, starting with "/" and without a trailing slash; "" for the root */
    StatusService(String prefix, boolean publicAccess, boolean ownListener, AmpedServer server) {
        this.prefix = prefix;
        this.publicAccess = publicAccess;
        this.ownListener = ownListener;
        this.server = server;
    }

    String prefix() {
        return prefix;
    }

    /**
     * Whether a request for {@code target} from this client is for the status endpoints. On their own
     * listener every request is theirs (what they do not know is 404: that listener serves no files).
     */
    boolean handles(RequestTarget target, boolean fromLoopback, boolean onStatusListener) {
        if (ownListener || onStatusListener) {
            return onStatusListener;
        }
        return (publicAccess || fromLoopback) && under(target.path());
    }

    /**
     * Whether {@code --auth} asks this request for credentials: never on the status listener (its address
     * is the access rule) nor for health (load balancers probe without them); the page and the metrics on
     * the main port do, since a reverse proxy makes every client loopback.
     */
    boolean asksCredentials(RequestTarget target, boolean onStatusListener) {
        return !onStatusListener && !target.path().equals(prefix + "/health");
    }

    private boolean under(String path) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }

    /**
     * Answers through {@code reply}, on {@code loop}'s dispatcher, now or once the counters are in. Client
     * addresses are shown on the status listener only: on the main port behind a reverse proxy every
     * client is the proxy, and anyone the proxy forwards could read them.
     */
    void respond(RequestTarget target, ServingLoop loop, boolean showClients, Consumer<Generated> reply) {
        if (!under(target.path())) {
            reply.accept(text(404, "404 Not Found\n"));
            return;
        }
        String rest = target.path().substring(prefix.length());
        switch (rest) {
            case "":
            case "/":
                gather(loop, reply, stats -> new Generated(200, "text/html; charset=utf-8",
                        StatusPage.render(stats, Version.VERSION, server.root().toString(), prefix,
                                System.currentTimeMillis() - startedMillis, showClients)));
                return;
            case "/metrics":
                gather(loop, reply, stats -> new Generated(200, MetricsText.CONTENT_TYPE, MetricsText.render(stats)));
                return;
            case "/health":
                if (server.isStopping()) {
                    reply.accept(text(503, "shutting down\n"));
                    return;
                }
                server.diskProbe().check().whenComplete((ok, failure) -> loop.dispatcher.execute(() ->
                        reply.accept(failure == null ? text(200, "ok\n") : text(503, "disk helpers not answering\n"))));
                return;
            default:
                reply.accept(text(404, "404 Not Found\n"));
        }
    }

    private void gather(ServingLoop loop, Consumer<Generated> reply, java.util.function.Function<ServerStats, Generated> render) {
        server.statsAsync().orTimeout(2, java.util.concurrent.TimeUnit.SECONDS).whenComplete((stats, failure) -> loop.dispatcher.execute(() ->
                reply.accept(failure == null ? render.apply(stats) : text(503, "counters unavailable\n"))));
    }

    private static Generated text(int status, String body) {
        return new Generated(status, TEXT, body.getBytes(StandardCharsets.UTF_8));
    }
}
