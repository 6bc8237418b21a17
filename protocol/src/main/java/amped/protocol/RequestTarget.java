package amped.protocol;

import amped.protocol.syntax.Ascii;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A request-target (RFC 9112 §3.2) turned into a safe, decoded, normalised path. The path is what the
 * file layer maps under the served root, so everything that could make it leave the root, or mean two
 * things, is refused here: NUL, encoded slashes, backslashes, malformed or overlong UTF-8, control
 * characters, and dot-segments that climb above the root. Dot-segments are removed <em>after</em>
 * percent-decoding, so {@code %2e%2e} is treated exactly like {@code ..}.
 *
 * <p>{@link #path()} is the decoded path, always starting with "/", without empty or dot segments, ending
 * with "/" when the request named a directory ("/a/b/"); {@link #segments()} are its segments, never "",
 * ".", ".." or containing "/"; {@link #rawPath()} and {@link #rawQuery()} are the parts as sent (the query
 * without "?", or null); {@link #asterisk()} is true for the {@code *} form of OPTIONS.
 */
public final class RequestTarget {

    /** The {@code OPTIONS *} target. */
    public static final RequestTarget ASTERISK = new RequestTarget("*", List.of(), "*", null, true);

    private final String path;
    private List<String> segments;
    private final String rawPath;
    private final String rawQuery;
    private final boolean asterisk;

    private RequestTarget(String path, List<String> segments, String rawPath, String rawQuery, boolean asterisk) {
        this.path = path;
        this.segments = segments;
        this.rawPath = rawPath;
        this.rawQuery = rawQuery;
        this.asterisk = asterisk;
    }

    public String path() {
        return path;
    }

    /** The segments of the path, split when first asked for (a cached file never needs them). */
    public List<String> segments() {
        if (segments == null) {
            List<String> parts = new ArrayList<>();
            for (int i = 1; i < path.length(); ) {
                int slash = path.indexOf('/', i);
                int end = slash < 0 ? path.length() : slash;
                parts.add(path.substring(i, end));
                i = end + 1;
            }
            segments = List.copyOf(parts);
        }
        return segments;
    }

    public String rawPath() {
        return rawPath;
    }

    public String rawQuery() {
        return rawQuery;
    }

    public boolean asterisk() {
        return asterisk;
    }

    @Override
    public String toString() {
        return rawQuery == null ? path : path + "?" + rawQuery;
    }

    /** Why a target was refused. */
    public static final class InvalidTargetException extends Exception {
        private static final long serialVersionUID = 1L;

        public InvalidTargetException(String message) {
            super(message, null, false, false);
        }
    }

    public boolean endsWithSlash() {
        return path.endsWith("/");
    }

    /** Parses origin-form, absolute-form (http/https) and asterisk-form targets. */
    public static RequestTarget parse(String raw) throws InvalidTargetException {
        if (raw.equals("*")) {
            return ASTERISK;
        }
        String pathAndQuery;
        if (raw.startsWith("/")) {
            pathAndQuery = raw;
        } else {
            pathAndQuery = pathOfAbsoluteForm(raw);
        }
        if (pathAndQuery.indexOf('#') >= 0) {
            throw new InvalidTargetException("fragment in request target");
        }
        int q = pathAndQuery.indexOf('?');
        String rawPath = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String rawQuery = q < 0 ? null : pathAndQuery.substring(q + 1);
        if (canonical(rawPath)) {
            // nothing to decode and nothing to normalise: the common case, kept free of copies
            return new RequestTarget(rawPath, null, rawPath, rawQuery, false);
        }
        String decoded = percentDecode(rawPath);
        return normalise(decoded, rawPath, rawQuery);
    }

    /**
     * Whether a request could name a file called {@code name}: paths refuse control characters and
     * backslashes, so a listing that offered such a name would offer a link that can never work.
     */
    public static boolean nameable(String name) {
        return name.chars().noneMatch(RequestTarget::refusedInPath);
    }

    private static boolean refusedInPath(int c) {
        return c < 0x20 || c == 0x7F || c == '\\';
    }

    /**
     * Whether a raw path is already its own decoded, normalised form: printable ASCII without '%' and
     * '\', and no empty or dot segment (every segment after the first "/" is non-empty and does not start
     * with a dot — a name like ".well-known" takes the slow path, which is right too).
     */
    private static boolean canonical(String rawPath) {
        int n = rawPath.length();
        for (int i = 0; i < n; i++) {
            char c = rawPath.charAt(i);
            if (c <= 0x20 || c >= 0x7F || c == '%' || c == '\\') {
                return false;
            }
            if (c == '/' && i + 1 < n && (rawPath.charAt(i + 1) == '/' || rawPath.charAt(i + 1) == '.')) {
                return false;
            }
        }
        return true;
    }

    private static String pathOfAbsoluteForm(String raw) throws InvalidTargetException {
        int colon = raw.indexOf("://");
        if (colon < 0) {
            throw new InvalidTargetException("request target is neither a path nor an absolute URI");
        }
        String scheme = raw.substring(0, colon);
        if (!scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https")) {
            throw new InvalidTargetException("unsupported URI scheme");
        }
        int authorityStart = colon + 3;
        int pathStart = authorityStart;
        while (pathStart < raw.length() && "/?#".indexOf(raw.charAt(pathStart)) < 0) {
            pathStart++;
        }
        if (pathStart == authorityStart) {
            throw new InvalidTargetException("absolute URI without a host");
        }
        String rest = raw.substring(pathStart);
        return rest.startsWith("/") ? rest : "/" + rest;
    }

    private static String percentDecode(String rawPath) throws InvalidTargetException {
        byte[] out = new byte[rawPath.length()];
        int n = 0;
        boolean ascii = true;
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            int b;
            if (c == '%') {
                int hi = i + 2 < rawPath.length() ? Ascii.hexValue(rawPath.charAt(i + 1)) : -1;
                int lo = hi >= 0 ? Ascii.hexValue(rawPath.charAt(i + 2)) : -1;
                if (lo < 0) {
                    throw new InvalidTargetException("malformed percent-encoding");
                }
                b = hi * 16 + lo;
                i += 2;
                if (b == '/') {
                    // a slash that is data, not a separator, can name no file; refusing it keeps one meaning
                    throw new InvalidTargetException("encoded slash in path");
                }
            } else if (c > 0xFF) {
                // The parser hands over bytes as ISO-8859-1 chars; a wider char (only from another caller)
                // must not be cut to its low byte below, which would turn U+0100 into NUL, U+015C into '\'
                // and U+012F into '/' after the checks meant to refuse them.
                throw new InvalidTargetException("character beyond ISO-8859-1 in target");
            } else {
                b = c; // the parser admits only bytes (ISO-8859-1 chars) here
            }
            if (refusedInPath(b)) {
                throw new InvalidTargetException(b == '\\' ? "backslash in path" : "control character in path");
            }
            ascii &= b < 0x80;
            out[n++] = (byte) b;
        }
        if (ascii) {
            return new String(out, 0, n, StandardCharsets.ISO_8859_1);
        }
        // strict decoding refuses overlong forms, surrogates and truncated sequences
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = utf8.decode(ByteBuffer.wrap(out, 0, n));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new InvalidTargetException("path is not valid UTF-8");
        }
    }

    /** RFC 3986 §5.2.4 dot-segment removal over decoded segments, refusing to climb above the root. */
    private static RequestTarget normalise(String decoded, String rawPath, String rawQuery)
            throws InvalidTargetException {
        List<String> segments = new ArrayList<>();
        int i = 0;
        boolean directory = false;
        int length = decoded.length();
        while (i < length) {
            int slash = decoded.indexOf('/', i);
            int end = slash < 0 ? length : slash;
            String segment = decoded.substring(i, end);
            boolean last = slash < 0 || slash == length - 1;
            if (segment.isEmpty() || segment.equals(".")) {
                directory = last;
            } else if (segment.equals("..")) {
                if (segments.isEmpty()) {
                    throw new InvalidTargetException("path climbs above the root");
                }
                segments.remove(segments.size() - 1);
                directory = last;
            } else {
                segments.add(segment);
                directory = slash >= 0 && last;
            }
            i = end + 1;
        }
        StringBuilder path = new StringBuilder(decoded.length() + 1);
        for (String s : segments) {
            path.append('/').append(s);
        }
        if (segments.isEmpty() || directory) {
            path.append('/');
        }
        return new RequestTarget(path.toString(), List.copyOf(segments), rawPath, rawQuery, false);
    }
}
