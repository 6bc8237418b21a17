package amped.protocol;

import java.util.List;

/**
 * Which requests a single-page app answers with its {@code /index.html} when nothing is at their path
 * ({@code --spa}, like {@code serve -s}): a GET (or HEAD) of a path whose last segment has no extension,
 * which is a route of the app. A path with an extension names a file (a script, an image) and stays
 * 404, so that a missing asset never comes back as HTML. Pure.
 */
public final class SinglePageApp {

    /** What is served in place of a route. */
    public static final String INDEX = "/index.html";

    private SinglePageApp() {
    }

    public static boolean isRoute(Method method, RequestTarget target) {
        if (method != Method.GET && method != Method.HEAD) {
            return false;
        }
        List<String> segments = target.segments();
        return !segments.isEmpty() && segments.getLast().indexOf('.') < 0;
    }
}
