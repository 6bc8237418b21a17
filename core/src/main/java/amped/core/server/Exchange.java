package amped.core.server;

import amped.core.log.AccessRecord;
import amped.protocol.Cors;
import amped.protocol.ErrorResponses;
import amped.protocol.HttpVersion;
import amped.protocol.Method;
import amped.protocol.RequestHead;
import amped.protocol.RequestRoute;
import amped.protocol.RequestTarget;
import amped.protocol.listing.ListingQuery;
import amped.protocol.ResponseHead;
import amped.protocol.SinglePageApp;
import amped.protocol.auth.BasicCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request and its response, read top to bottom: route it, find what it names (the content chain, or
 * the status endpoints), plan the response, send it with a {@link BodyWriter}, then count it and write
 * its access-log line, whole or aborted. Dispatcher-confined, like its connection.
 */
final class Exchange implements CachingContent.Requester, BodyWriter.Owner {

    private static final Logger log = LoggerFactory.getLogger(Exchange.class);
    private static final byte[] CONNECTION_CLOSE = ResponseHead.fieldLine("Connection", "close");
    private static final byte[] CONNECTION_KEEP_ALIVE = ResponseHead.fieldLine("Connection", "keep-alive");
    private static final byte[] ALLOW = ResponseHead.fieldLine("Allow", RequestRoute.ALLOW);
    private static final byte[] SERVER = ResponseHead.fieldLine("Server", "amped/" + Version.VERSION);
    private static final byte[] CHALLENGE = ResponseHead.fieldLine("WWW-Authenticate",
            BasicCredentials.challenge(Authenticator.REALM));

    /** The connection an exchange runs on, as the exchange needs it. */
    interface Host {
        Transport transport();

        String peer();

        boolean fromLoopback();

        /** Whether the connection came through the status endpoints' own listener. */
        boolean onStatusListener();

        /** A write starts: the send-stall deadline runs. */
        void sending();

        /** The response is out: go on with the next request, or close gracefully when not {@code keepAlive}. */
        void exchangeEnded(boolean keepAlive);

        /** The response cannot be finished: close now. */
        void close();

        /**
         * The answer is being looked up or built: watch for the client leaving meanwhile (then the exchange is
         * abandoned). Only between requests without a body, whose next bytes are the next request.
         */
        void watchForLeaving();

        /** Whether a read of the JDK's is pending on the socket (a watch for the client leaving). */
        boolean watching();
    }

    private enum State {
        /** Finding what the target names (a disk helper, or the other dispatchers' counters). */
        RESOLVING,
        /** The response is being sent. */
        SENDING,
        /** Counted and logged; nothing is left to do. */
        ENDED
    }

    private final ServingLoop loop;
    private final Host host;
    /** The request, or null when it could not be parsed. */
    private final RequestHead request;
    private final ResponseHead head;
    private final boolean headOnly;
    private final long startNanos = System.nanoTime();
    private final long startMillis = System.currentTimeMillis();
    /** For a request that could not be parsed, the status it gets; else 0. */
    private final int errorStatus;
    /** What a 404 became: nothing yet, the app's index (--spa), or the error page. */
    private enum Fallback {
        NONE,
        SPA,
        ERROR_PAGE
    }

    private State state = State.RESOLVING;
    private Fallback fallback = Fallback.NONE;
    private boolean keepAlive;
    private RequestTarget target;
    /** The path whose lookup is being answered: the target's, or what its 404 fell back to. */
    private RequestTarget lookedUp;
    /**
     * Withdrawn when the exchange ends: lets go of a shared listing it holds, or stops one being built; null
     * until a lookup goes to a disk helper.
     */
    private Interest interest;
    private BodyWriter writer;
    private long bodyLength;
    private int headLength;

    private Exchange(ServingLoop loop, Host host, RequestHead request, ResponseHead head, boolean headOnly,
                     boolean keepAlive, int errorStatus) {
        this.loop = loop;
        this.errorStatus = errorStatus;
        this.host = host;
        this.request = request;
        this.head = head;
        // a response to HEAD never has content, whatever it says: errors included (RFC 9110 §9.3.2)
        this.headOnly = headOnly;
        this.keepAlive = keepAlive;
    }

    /** The exchange of a complete request head; {@link #start()} answers it. */
    static Exchange of(ServingLoop loop, Host host, RequestHead request, ResponseHead head) {
        loop.stats.requests++;
        // a client waiting for 100-continue may never send the body we would have to skip to go on
        boolean keepAlive = request.keepAlive() && !loop.draining() && !(request.expectsContinue() && request.hasBody());
        return new Exchange(loop, host, request, head, request.method() == Method.HEAD, keepAlive, 0);
    }

    /** The answer to a request that could not be parsed: its error status, then the connection closes. */
    static Exchange malformed(ServingLoop loop, Host host, RequestHead partial, int status, ResponseHead head) {
        loop.stats.malformed++;
        return new Exchange(loop, host, null, head, partial.method() == Method.HEAD, false, status);
    }

    /** Routes the request and answers it, now or when what it names has been found. */
    void start() {
        if (request == null) {
            respondWithError(errorStatus);
            return;
        }
        switch (RequestRoute.of(request)) {
            case RequestRoute.Lookup(RequestTarget t, boolean _) -> {
                target = t;
                boolean auth = loop.rules.auth != null;
                if (loop.status != null && loop.status.handles(t, host.fromLoopback(), host.onStatusListener())) {
                    whenAllowed(auth && loop.status.asksCredentials(t, host.onStatusListener()),
                            () -> loop.status.respond(t, loop, host.onStatusListener(), this::respondGenerated));
                    return;
                }
                whenAllowed(auth, () -> find(t));
            }
            case RequestRoute.Options() -> {
                // a preflight never carries credentials: it is answered without them
                if (loop.rules.cors && Cors.isPreflight(request)) {
                    Cors.preflight(request, head);
                } else {
                    head.start(204).line(ALLOW);
                }
                respond(ResponseBody.EMPTY);
            }
            case RequestRoute.Reject(int status, boolean allow) -> {
                // a target we cannot make sense of is a malformed request: answer and close
                keepAlive &= status != 400;
                ResponseBody error = ResponseBody.of(ErrorResponses.write(status, head).content());
                if (allow) {
                    head.line(ALLOW);
                }
                respond(error);
            }
        }
    }

    /** Runs {@code then} when no credentials are asked, or once they let the request in; else answers 401. */
    private void whenAllowed(boolean ask, Runnable then) {
        if (!ask) {
            then.run();
            return;
        }
        loop.rules.auth.check(BasicCredentials.parse(request.header("Authorization")), loop.io, verdict -> {
            if (state != State.RESOLVING) {
                return;
            }
            switch (verdict) {
                case ALLOWED -> then.run();
                case DENIED -> {
                    ResponseBody refusal = ResponseBody.of(ErrorResponses.write(401, head).content());
                    head.line(CHALLENGE);
                    respond(refusal);
                }
                case BUSY -> {
                    ResponseBody refusal = ResponseBody.of(ErrorResponses.write(503, head).content());
                    head.header("Retry-After", 1);
                    respond(refusal);
                }
            }
        }, this::lookupFailed);
    }

    /** Looks {@code t} up and answers, now or when a disk helper has found it. */
    private void find(RequestTarget t) {
        lookedUp = t;
        // an error page is sent as it is, never in a coding the request would have to be asked for again
        String acceptEncoding = fallback == Fallback.ERROR_PAGE ? null : request.headerList("Accept-Encoding");
        ListingQuery listingQuery = t.endsWithSlash() && fallback == Fallback.NONE
                ? ListingQuery.of(t.rawQuery(), request.headerList("Accept")) : null;
        Lookup found = loop.content.find(t, acceptEncoding, listingQuery, !headOnly, this);
        if (found != null) {
            respond(found);
        } else if (fallback == Fallback.NONE && !request.hasBody() && t.endsWithSlash()) {
            // a directory's listing may take a build worth cancelling when the client leaves; a file's
            // lookup is short, and its sending may go around the JDK's channel (sendfile), which must
            // not have a read of the JDK's pending on the same socket
            host.watchForLeaving();
        }
    }

    @Override
    public void found(Lookup lookup) {
        if (state != State.RESOLVING) {
            // the client went away meanwhile
            lookup.discard(loop.disk);
            return;
        }
        respond(lookup);
    }

    @Override
    public void lookupFailed(Throwable failure) {
        if (state == State.RESOLVING) {
            log.warn("answering {} failed: {}", request.target(), failure.toString());
            respondWithError(500);
        }
    }

    @Override
    public Interest interest() {
        // made only for lookups that go to a disk helper: a cache hit costs no allocation for it
        if (interest == null) {
            interest = new Interest();
        }
        return interest;
    }

    /** Sends a response made in memory (the status endpoints); it may come after a wait for other loops. */
    private void respondGenerated(StatusService.Generated generated) {
        if (state != State.RESOLVING) {
            return;
        }
        head.start(generated.status());
        head.header("Content-Type", generated.contentType());
        head.header("Content-Length", generated.body().length);
        head.header("Cache-Control", "no-store");
        respond(ResponseBody.of(generated.body()));
    }

    private void respondWithError(int status) {
        keepAlive = false;
        respond(ResponseBody.of(ErrorResponses.write(status, head).content()));
    }

    /**
     * Answers with what the lookup found: protocol plans the head, the body comes from where the bytes are. A
     * 404 first falls back to the app's index (a route, with --spa), then to the error page, each looked up
     * like any file (the same safe open, hidden and symlink rules); the page keeps the status 404.
     */
    private void respond(Lookup lookup) {
        if (fallback != Fallback.ERROR_PAGE && lookup.resolved() instanceof Resolved.Refused(int status) && status == 404) {
            boolean route = fallback == Fallback.NONE && loop.rules.spaIndex != null
                    && SinglePageApp.isRoute(request.method(), target);
            RequestTarget instead = route ? loop.rules.spaIndex : loop.rules.notFoundPage;
            if (instead != null) {
                fallback = route ? Fallback.SPA : Fallback.ERROR_PAGE;
                find(instead);
                return;
            }
        }
        respond(fallback == Fallback.ERROR_PAGE ? loop.files.respondWithPage(request, target, 404, lookup, loop.random, head)
                : loop.files.respond(request, target, lookup, loop.random, head));
    }

    /** Completes the head begun in {@link #head} with the operator's fields and the connection's, and starts sending. */
    private void respond(ResponseBody body) {
        head.line(loop.rules.responseFields).line(loop.date.line()).line(SERVER);
        if (loop.hsts != null && host.transport().security() != null) {
            head.line(loop.hsts);
        }
        if (!keepAlive) {
            head.line(CONNECTION_CLOSE);
        } else if (request.version() == HttpVersion.HTTP_1_0) {
            head.line(CONNECTION_KEEP_ALIVE);
        }
        head.end();
        headLength = head.length();
        if (headOnly) {
            body.discard(loop.disk);
            body = ResponseBody.EMPTY;
        }
        bodyLength = body.length;
        state = State.SENDING;
        writer = BodyWriter.of(loop, host.transport(), this, head, body, host.watching());
        writer.start();
    }

    @Override
    public void sending() {
        host.sending();
    }

    @Override
    public void sent() {
        ended(false);
        host.exchangeEnded(keepAlive && !loop.draining());
    }

    @Override
    public void failed(BodyWriter.Failure failure, boolean fromMapping, Throwable cause) {
        if (fromMapping || failure == BodyWriter.Failure.FILE_SHRANK) {
            // the next request looks the file up afresh rather than trust what was cached
            loop.content.forget(lookedUp.path());
        }
        switch (failure) {
            case FILE_SHRANK -> {
                log.warn("{} got shorter while being sent to {}; closing the connection", request.target(), host.peer());
                loop.stats.truncated++;
            }
            case READ_FAILED -> {
                log.warn("reading {} for {} failed: {}", request.target(), host.peer(), String.valueOf(cause));
                loop.stats.readErrors++;
            }
            case SEND_FAILED -> {
                loop.stats.aborted++;
                log.debug("sending to {} failed: {}", host.peer(), String.valueOf(cause));
            }
        }
        host.close();
    }

    /** Whether the answer is still being looked up (nothing sent yet). */
    boolean resolving() {
        return state == State.RESOLVING;
    }

    /** The send-stall time so far, or -1 when nothing is being sent (a lookup in flight stalls nothing). */
    long stalledNanos(long nowNanos) {
        return state == State.SENDING ? nowNanos - writer.lastProgressNanos() : -1;
    }

    /** The connection closed: let go of what is in flight when it reports, and log the response as aborted. */
    void abandon() {
        if (state == State.ENDED) {
            return;
        }
        if (writer != null) {
            writer.abandon();
        }
        ended(true);
    }

    /** Counts the response and writes its access-log line. */
    private void ended(boolean aborted) {
        state = State.ENDED;
        if (interest != null) {
            interest.withdraw();
        }
        // no status line went out yet: the client gave up on us first (nginx's 499)
        int status = headLength > 0 ? head.status() : 499;
        loop.stats.responseEnded(request == null ? null : request.method(), status);
        if (loop.accessLog == null) {
            return;
        }
        long millis = (System.nanoTime() - startNanos) / 1_000_000;
        RequestHead r = request;
        loop.accessLog.log(new AccessRecord(host.peer(), startMillis,
                r == null ? null : r.methodName(), r == null ? null : r.target(),
                r == null ? null : r.version().text(), status, bodyBytesSent(),
                r == null ? null : r.header("Referer"), r == null ? null : r.header("User-Agent"), millis, aborted));
    }

    private long bodyBytesSent() {
        return writer == null ? 0 : Math.max(0, writer.bytesSent() - headLength);
    }

    /** What is being sent right now, for the status page; null when nothing is. */
    ServerStats.Transfer transfer() {
        if (state != State.SENDING || request == null) {
            return null;
        }
        // a query may carry a signed URL's token: the status page shows the path alone
        String target = request.target();
        int query = target.indexOf('?');
        return new ServerStats.Transfer(query < 0 ? target : target.substring(0, query), host.peer(), bodyBytesSent(), bodyLength,
                (System.nanoTime() - startNanos) / 1_000_000, host.transport().security());
    }
}
