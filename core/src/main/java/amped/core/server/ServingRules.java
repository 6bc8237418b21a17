package amped.core.server;

import amped.protocol.ConfiguredField;
import amped.protocol.Cors;
import amped.protocol.RequestTarget;
import amped.protocol.ResponseHead;
import amped.protocol.SinglePageApp;
import amped.protocol.listing.PathEncoding;
import java.io.ByteArrayOutputStream;

/**
 * What the operator puts around the files, decided once at start: who may come in ({@code --auth}), the
 * fields added to every response ({@code --header}, {@code --cors}), and what a 404 becomes ({@code --spa},
 * the error page). Shared by all dispatchers; immutable but for the authenticator's memory of successes.
 */
final class ServingRules implements AutoCloseable {

    /** Null when no credentials are asked for. */
    final Authenticator auth;
    /** Pre-encoded field lines of every response: the --header fields, then CORS's. */
    final byte[] responseFields;
    final boolean cors;
    /** The app's index for routes that are not files, or null without --spa. */
    final RequestTarget spaIndex;
    /** The page sent as the body of a 404, or null. */
    final RequestTarget notFoundPage;

    ServingRules(ServerConfig config) {
        auth = config.credentials.isEmpty() ? null : new Authenticator(config.credentials);
        ByteArrayOutputStream fields = new ByteArrayOutputStream();
        for (ConfiguredField f : config.headers) {
            fields.writeBytes(ResponseHead.fieldLine(f.name(), f.value()));
        }
        if (config.cors) {
            fields.writeBytes(Cors.RESPONSE_FIELDS);
        }
        responseFields = fields.toByteArray();
        cors = config.cors;
        spaIndex = config.spa ? target(SinglePageApp.INDEX) : null;
        notFoundPage = config.notFoundPage == null ? null : target(config.notFoundPage);
    }

    private static RequestTarget target(String path) {
        try {
            return RequestTarget.parse(PathEncoding.encodePath(path));
        } catch (RequestTarget.InvalidTargetException e) {
            throw new IllegalArgumentException("not a path under the root: " + path, e);
        }
    }

    @Override
    public void close() {
        if (auth != null) {
            auth.close();
        }
    }
}
