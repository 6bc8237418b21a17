package amped.protocol.encoding;

import java.util.Locale;
import java.util.Set;

/**
 * Which files are worth gzipping when a client asks for gzip and no precompressed sibling exists: text and
 * the other formats that shrink (JSON, JavaScript, CSS, SVG, XML, wasm, uncompressed fonts), within size
 * bounds. Below {@link #MIN_SIZE} the gzip framing eats the gain; above {@link #MAX_SIZE} a file is a
 * download rather than a page's asset, and is better sent as it is: with its length, resumable by ranges,
 * by sendfile, and without holding its compressed copy in memory.
 */
public final class GzipOnTheFly {

    public static final long MIN_SIZE = 1024;
    public static final long MAX_SIZE = 8L * 1024 * 1024;

    /** Compressible types outside text/* and the +json/+xml suffixes (media type essences, lowercase). */
    private static final Set<String> OTHER_COMPRESSIBLE = Set.of(
            "application/javascript",
            "application/x-javascript",
            "application/json",
            "application/x-ndjson",
            "application/xml",
            "application/xml-dtd",
            "application/wasm",
            "application/yaml",
            "application/toml",
            "application/sql",
            "application/rtf",
            "application/postscript",
            "application/x-sh",
            "application/x-tex",
            "application/x-subrip",
            "application/vnd.apple.mpegurl",
            "application/vnd.ms-fontobject",
            "audio/x-mpegurl",
            "font/ttf",
            "font/otf",
            "font/collection",
            "image/bmp",
            "image/vnd.microsoft.icon",
            "image/x-icon",
            "model/obj");

    private GzipOnTheFly() {
    }

    /** Whether a file of this Content-Type (parameters allowed) and size is gzipped for clients that ask. */
    public static boolean worthTrying(String contentType, long size) {
        return size >= MIN_SIZE && size <= MAX_SIZE && compressible(contentType);
    }

    /** Whether the media type is one that compresses well (case-insensitive; parameters ignored). */
    public static boolean compressible(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String essence = (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                .strip().toLowerCase(Locale.ROOT);
        int slash = essence.indexOf('/');
        if (slash <= 0 || slash == essence.length() - 1) {
            return false;
        }
        return essence.startsWith("text/") || essence.endsWith("+json") || essence.endsWith("+xml")
                || OTHER_COMPRESSIBLE.contains(essence);
    }
}
