package amped.protocol;

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
 * @param path          decoded path, always starting with "/", without empty or dot segments; ends with
 *                      "/" when the request named a directory ("/a/b/")
 * @param segments      the segments of {@code path}, never "", ".", ".." or containing "/"
 * @param rawPath       the path part as sent (percent-encoded), for redirects
 * @param rawQuery      the query as sent without "?", or null
 * @param asterisk      true for the {@code *} form of OPTIONS
 */
public record RequestTarget(String path, List<String> segments, String rawPath, String rawQuery, boolean asterisk) {

    /** The {@code OPTIONS *} target. */
    public static final RequestTarget ASTERISK = new RequestTarget("*", List.of(), "*", null, true);

    /** Why a target was refused. */
    public static final class InvalidTargetException extends Exception {
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
        String decoded = percentDecode(rawPath);
        return normalise(decoded, rawPath, rawQuery);
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
            if (b < 0x20 || b == 0x7F) {
                throw new InvalidTargetException("control character in path");
            }
            if (b == '\\') {
                throw new InvalidTargetException("backslash in path");
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
