package amped.protocol;

import amped.protocol.syntax.Ows;
import amped.protocol.syntax.Tokens;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Maps file names to {@code Content-Type} header values by extension.
 *
 * <p>Instances are immutable; {@link #withOverride} returns a new table. The stored values are
 * complete header values, so a lookup on the hot path is one scan of the name and one map get.
 */
public final class MimeTypes {

    /** What an unknown or missing extension is served as: the browser must not guess. */
    public static final String OCTET_STREAM = "application/octet-stream";

    private static final String UTF8_CHARSET = "; charset=utf-8";

    /**
     * Types outside {@code text/*} that carry text and so get a charset. An explicit list rather
     * than every {@code +xml}/{@code +json} suffix, so the rule is predictable; types whose
     * registration defines no charset parameter (application/yaml, application/toml) stay out.
     */
    private static final Set<String> OTHER_TEXT_TYPES = Set.of(
            "application/javascript",
            "application/json",
            "application/ld+json",
            "application/manifest+json",
            "application/xml",
            "application/xhtml+xml",
            "application/rss+xml",
            "application/atom+xml",
            "image/svg+xml");

    private static final MimeTypes DEFAULTS = new MimeTypes(Map.copyOf(builtInTable()));

    /** Extension (ASCII-lowercased, no dot) to full header value. */
    private final Map<String, String> headerValueByExtension;

    private MimeTypes(Map<String, String> headerValueByExtension) {
        this.headerValueByExtension = headerValueByExtension;
    }

    /** The built-in table; shared, immutable. */
    public static MimeTypes defaults() {
        return DEFAULTS;
    }

    /**
     * The {@code Content-Type} header value for a file name or path. Only the last '/'-separated
     * segment is looked at; its extension is what follows its last '.', matched ignoring ASCII
     * case. No extension, a bare dotfile such as {@code .bashrc}, or an unknown extension give
     * {@value #OCTET_STREAM}.
     */
    public String contentType(String fileName) {
        Objects.requireNonNull(fileName, "fileName");
        int segmentStart = fileName.lastIndexOf('/') + 1;
        int dot = fileName.lastIndexOf('.');
        // dot == segmentStart is a dotfile without an extension; dot < segmentStart is a dot in
        // a parent directory's name, which says nothing about this file.
        if (dot <= segmentStart || dot == fileName.length() - 1) {
            return OCTET_STREAM;
        }
        String type = headerValueByExtension.get(asciiLowercase(fileName.substring(dot + 1)));
        return type == null ? OCTET_STREAM : type;
    }

    /** The extensions this table knows, lowercase and without a dot. */
    public Set<String> extensions() {
        return headerValueByExtension.keySet();
    }

    /**
     * A copy of this table in which {@code extension} (with or without a leading dot, any case)
     * maps to {@code type}. The type must be {@code type/subtype} made of RFC 9110 token
     * characters, optionally followed by parameters; text types without a charset parameter
     * get {@code charset=utf-8} as built-in ones do.
     *
     * @throws IllegalArgumentException with a one-line message fit to show a CLI user
     */
    public MimeTypes withOverride(String extension, String type) {
        Objects.requireNonNull(extension, "extension");
        Objects.requireNonNull(type, "type");
        String ext = normalizeExtension(extension);
        String headerValue = parseMediaType(type, ext).headerValue();
        Map<String, String> copy = new HashMap<>(headerValueByExtension);
        copy.put(ext, headerValue);
        return new MimeTypes(Map.copyOf(copy));
    }

    /**
     * Parses a CLI override {@code EXT=TYPE}, e.g. {@code md=text/markdown} or
     * {@code .log=text/plain; charset=iso-8859-1}. Returns the normalized extension (lowercase,
     * no dot) and media type (lowercase type/subtype, parameters re-serialized, no charset
     * added), ready for {@link #withOverride}.
     *
     * @throws IllegalArgumentException with a one-line message fit to show a CLI user
     */
    public static Map.Entry<String, String> parseOverride(String spec) {
        Objects.requireNonNull(spec, "spec");
        int eq = spec.indexOf('=');
        if (eq < 0) {
            throw new IllegalArgumentException("invalid MIME type override \"" + printable(spec)
                    + "\": expected EXT=TYPE, e.g. md=text/markdown");
        }
        String ext = normalizeExtension(Ows.trim(spec.substring(0, eq)));
        return Map.entry(ext, parseMediaType(spec.substring(eq + 1), ext).normalized());
    }

    // ---------------------------------------------------------------- validation and normalizing

    private static String normalizeExtension(String extension) {
        String ext = extension.startsWith(".") ? extension.substring(1) : extension;
        boolean valid = !ext.isEmpty();
        for (int i = 0; valid && i < ext.length(); i++) {
            char c = ext.charAt(i);
            // '.' can never match (lookup takes what follows the last dot); the rest could not
            // be part of a file name's extension or would make EXT=TYPE ambiguous.
            valid = c > ' ' && c != 0x7F && c != '.' && c != '/' && c != '\\' && c != '='
                    && !Character.isWhitespace(c) && !Character.isISOControl(c);
        }
        if (!valid) {
            throw new IllegalArgumentException("invalid extension \"" + printable(extension)
                    + "\": expected a file extension such as md or .md");
        }
        return asciiLowercase(ext);
    }

    /**
     * A validated media type: {@code normalized} has type, subtype and parameter names lowercased
     * (they are case-insensitive) and parameters joined by "; ".
     */
    private record MediaType(String normalized, String essence, boolean hasCharset) {
        /** The Content-Type value: text without a charset gets UTF-8, like the built-ins. */
        String headerValue() {
            return !hasCharset && isTextLike(essence) ? normalized + UTF8_CHARSET : normalized;
        }
    }

    /**
     * Validates {@code type "/" subtype *( OWS ";" OWS [ name "=" ( token / quoted-string ) ] )}
     * (RFC 9110 section 8.3.1).
     */
    private static MediaType parseMediaType(String raw, String ext) {
        String s = Ows.trim(raw);
        int n = s.length();
        int typeEnd = Tokens.skipToken(s, 0);
        if (typeEnd == 0 || typeEnd >= n || s.charAt(typeEnd) != '/') {
            throw invalidType(raw, ext, "expected type/subtype");
        }
        int subtypeEnd = Tokens.skipToken(s, typeEnd + 1);
        if (subtypeEnd == typeEnd + 1) {
            throw invalidType(raw, ext, "expected type/subtype");
        }
        String essence = asciiLowercase(s.substring(0, subtypeEnd));
        StringBuilder out = new StringBuilder(n + 16).append(essence);
        boolean hasCharset = false;
        int i = subtypeEnd;
        while (true) {
            i = Ows.skip(s, i);
            if (i == n) {
                return new MediaType(out.toString(), essence, hasCharset);
            }
            if (s.charAt(i) != ';') {
                throw invalidType(raw, ext, "expected type/subtype optionally followed by"
                        + " ;name=value parameters, found '"
                        + printable(s.substring(i, i + Character.charCount(s.codePointAt(i)))) + "'");
            }
            i = Ows.skip(s, i + 1);
            if (i == n || s.charAt(i) == ';') {
                continue; // RFC 9110 allows empty parameters; they carry nothing, so drop them
            }
            int nameEnd = Tokens.skipToken(s, i);
            if (nameEnd == i) {
                throw invalidType(raw, ext, "expected a parameter name=value after ';'");
            }
            String name = asciiLowercase(s.substring(i, nameEnd));
            if (nameEnd == n || s.charAt(nameEnd) != '=') {
                throw invalidType(raw, ext, "parameter \"" + name + "\" has no =value");
            }
            int valueStart = nameEnd + 1;
            int valueEnd = valueStart < n && s.charAt(valueStart) == '"'
                    ? Tokens.skipQuotedString(s, valueStart)
                    : Tokens.skipToken(s, valueStart);
            if (valueEnd < 0) {
                throw invalidType(raw, ext, "bad quoted value of parameter \"" + name + "\"");
            }
            if (valueEnd == valueStart) {
                throw invalidType(raw, ext, "parameter \"" + name + "\" has an empty value");
            }
            hasCharset |= name.equals("charset");
            out.append("; ").append(name).append('=').append(s, valueStart, valueEnd);
            i = valueEnd;
        }
    }

    private static IllegalArgumentException invalidType(String raw, String ext, String problem) {
        return new IllegalArgumentException("invalid media type \"" + printable(raw)
                + "\" for extension \"" + printable(ext) + "\": " + problem);
    }

    private static boolean isTextLike(String essence) {
        return essence.startsWith("text/") || OTHER_TEXT_TYPES.contains(essence);
    }

    /** Lowercases A-Z only, so matching never depends on the default locale or Unicode folding. */
    private static String asciiLowercase(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                char[] chars = s.toCharArray();
                for (int j = i; j < chars.length; j++) {
                    if (chars[j] >= 'A' && chars[j] <= 'Z') {
                        chars[j] = (char) (chars[j] + ('a' - 'A'));
                    }
                }
                return new String(chars);
            }
        }
        return s;
    }

    /** Makes user input safe to embed in a one-line message: control chars become \\uXXXX. */
    private static String printable(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                if (out == null) {
                    out = new StringBuilder(s.length() + 8).append(s, 0, i);
                }
                out.append(String.format("\\u%04X", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }

    // ------------------------------------------------------------------------- built-in table

    private static Map<String, String> builtInTable() {
        TableBuilder t = new TableBuilder();

        // Web text. JavaScript is text/javascript per RFC 9239, whatever the module flavour.
        t.add("text/html", "html", "htm", "shtml");
        t.add("text/css", "css");
        t.add("text/javascript", "js", "mjs", "cjs");
        t.add("application/json", "json", "map", "topojson");
        t.add("application/ld+json", "jsonld");
        t.add("application/geo+json", "geojson");
        t.add("application/x-ndjson", "ndjson", "jsonl");
        t.add("application/manifest+json", "webmanifest");
        t.add("application/xml", "xml", "xsd", "xsl");
        t.add("application/xslt+xml", "xslt");
        t.add("application/xml-dtd", "dtd");
        t.add("application/xhtml+xml", "xhtml", "xht");
        t.add("application/atom+xml", "atom");
        t.add("application/rss+xml", "rss");
        t.add("application/rdf+xml", "rdf");
        t.add("text/plain", "txt", "text", "ini", "conf", "cfg", "log", "nfo", "diz");
        t.add("text/csv", "csv");
        t.add("text/tab-separated-values", "tsv");
        t.add("text/markdown", "md", "markdown", "mkd");
        t.add("text/calendar", "ics", "ifb");
        t.add("text/vcard", "vcf", "vcard");
        t.add("text/vtt", "vtt");
        t.add("text/cache-manifest", "appcache");
        t.add("text/x-diff", "diff", "patch");
        t.add("text/x-python", "py");
        t.add("text/x-java-source", "java");
        t.add("text/x-c", "c", "h");
        t.add("text/x-c++", "cpp", "cc", "hpp");
        t.add("application/rtf", "rtf");
        t.add("application/yaml", "yaml", "yml");
        t.add("application/toml", "toml");
        t.add("application/sql", "sql");
        t.add("application/x-sh", "sh");
        t.add("application/x-tex", "tex");
        t.add("application/wasm", "wasm");

        // Images.
        t.add("image/png", "png");
        t.add("image/apng", "apng");
        t.add("image/jpeg", "jpg", "jpeg", "jpe", "jfif", "pjpeg", "pjp");
        t.add("image/gif", "gif");
        t.add("image/webp", "webp");
        t.add("image/avif", "avif");
        t.add("image/heic", "heic");
        t.add("image/heif", "heif");
        t.add("image/jxl", "jxl");
        t.add("image/jp2", "jp2");
        t.add("image/svg+xml", "svg", "svgz");
        t.add("image/vnd.microsoft.icon", "ico");
        t.add("image/x-icon", "cur");
        t.add("image/bmp", "bmp");
        t.add("image/tiff", "tif", "tiff");
        t.add("image/vnd.adobe.photoshop", "psd");
        t.add("image/vnd.djvu", "djvu", "djv");
        t.add("image/ktx2", "ktx2");
        t.add("image/x-exr", "exr");

        // 3D models.
        t.add("model/gltf+json", "gltf");
        t.add("model/gltf-binary", "glb");
        t.add("model/obj", "obj");
        t.add("model/stl", "stl");
        t.add("model/3mf", "3mf");
        t.add("model/vnd.usdz+zip", "usdz");

        // Fonts.
        t.add("font/woff", "woff");
        t.add("font/woff2", "woff2");
        t.add("font/ttf", "ttf");
        t.add("font/otf", "otf");
        t.add("font/collection", "ttc");
        t.add("application/vnd.ms-fontobject", "eot");

        // Video.
        t.add("video/mp4", "mp4", "mp4v", "mpg4", "f4v");
        t.add("video/x-m4v", "m4v");
        t.add("video/ogg", "ogv");
        t.add("video/webm", "webm");
        t.add("video/matroska", "mkv");
        t.add("video/quicktime", "mov", "qt");
        t.add("video/x-msvideo", "avi");
        t.add("video/x-flv", "flv");
        t.add("video/x-ms-wmv", "wmv");
        t.add("video/x-ms-asf", "asf");
        t.add("video/mpeg", "mpeg", "mpg", "mpe");
        t.add("video/3gpp", "3gp");
        t.add("video/3gpp2", "3g2");
        t.add("video/mp2t", "ts", "m2ts", "mts");

        // Audio.
        t.add("audio/mp4", "m4a", "m4b");
        t.add("audio/mpeg", "mp3", "mpga", "mp2");
        t.add("audio/ogg", "ogg", "oga", "opus", "spx");
        t.add("audio/wav", "wav");
        t.add("audio/webm", "weba");
        t.add("audio/matroska", "mka");
        t.add("audio/x-ms-wma", "wma");
        t.add("audio/aac", "aac");
        t.add("audio/flac", "flac");
        t.add("audio/midi", "mid", "midi", "kar");
        t.add("audio/aiff", "aif", "aiff", "aifc");
        t.add("audio/amr", "amr");
        t.add("audio/x-caf", "caf");
        t.add("audio/x-mpegurl", "m3u");

        // Streaming manifests and subtitles.
        t.add("application/vnd.apple.mpegurl", "m3u8");
        t.add("application/dash+xml", "mpd");
        t.add("application/x-subrip", "srt");

        // Archives and compressed data.
        t.add("application/zip", "zip");
        t.add("application/gzip", "gz", "tgz");
        t.add("application/x-bzip2", "bz2", "tbz2");
        t.add("application/x-xz", "xz", "txz");
        t.add("application/zstd", "zst");
        t.add("application/x-lzip", "lz");
        t.add("application/x-lzma", "lzma");
        t.add("application/x-compress", "z");
        t.add("application/x-7z-compressed", "7z");
        t.add("application/vnd.rar", "rar");
        t.add("application/x-tar", "tar");
        t.add("application/vnd.ms-cab-compressed", "cab");
        t.add("application/x-cpio", "cpio");
        t.add("application/x-xar", "xar");

        // Packages, installers, disk images, executables.
        t.add("application/java-archive", "jar", "war", "ear");
        t.add("application/vnd.android.package-archive", "apk");
        t.add("application/vnd.debian.binary-package", "deb", "udeb");
        t.add("application/x-rpm", "rpm");
        t.add("application/x-apple-diskimage", "dmg");
        t.add("application/x-iso9660-image", "iso");
        t.add("application/x-msi", "msi");
        t.add("application/vnd.microsoft.portable-executable", "exe", "dll");
        t.add("application/x-xpinstall", "xpi");
        t.add("application/x-chrome-extension", "crx");
        t.add("application/vnd.flatpak", "flatpak");
        t.add("application/vnd.snap", "snap");
        t.add("application/x-bittorrent", "torrent");
        t.add("application/x-shockwave-flash", "swf");
        t.add("application/java-vm", "class");
        // Raw images and blobs have no meaningful type; listed so the intent is explicit.
        t.add(OCTET_STREAM, "bin", "img", "dat", "so", "o", "a");

        // Documents and e-books.
        t.add("application/pdf", "pdf");
        t.add("application/postscript", "ps", "eps", "ai");
        t.add("application/epub+zip", "epub");
        t.add("application/x-mobipocket-ebook", "mobi");
        t.add("application/vnd.amazon.ebook", "azw");
        t.add("application/vnd.ms-xpsdocument", "xps");
        t.add("application/msword", "doc");
        t.add("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx");
        t.add("application/vnd.ms-word.document.macroenabled.12", "docm");
        t.add("application/vnd.ms-excel", "xls");
        t.add("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx");
        t.add("application/vnd.ms-excel.sheet.macroenabled.12", "xlsm");
        t.add("application/vnd.ms-powerpoint", "ppt", "pps");
        t.add("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx");
        t.add("application/vnd.openxmlformats-officedocument.presentationml.slideshow", "ppsx");
        t.add("application/vnd.oasis.opendocument.text", "odt");
        t.add("application/vnd.oasis.opendocument.spreadsheet", "ods");
        t.add("application/vnd.oasis.opendocument.presentation", "odp");
        t.add("application/vnd.oasis.opendocument.graphics", "odg");
        t.add("application/vnd.oasis.opendocument.formula", "odf");
        t.add("application/vnd.visio", "vsd");
        t.add("application/vnd.google-earth.kml+xml", "kml");
        t.add("application/vnd.google-earth.kmz", "kmz");
        t.add("application/gpx+xml", "gpx");

        // Keys, certificates, signatures.
        t.add("application/x-pem-file", "pem");
        t.add("application/pkix-cert", "cer", "crt");
        t.add("application/x-x509-ca-cert", "der");
        t.add("application/pkcs12", "p12", "pfx");
        t.add("application/pkcs7-signature", "p7s");
        t.add("application/pgp-signature", "asc", "sig");
        t.add("application/pgp-encrypted", "pgp", "gpg");

        return t.build();
    }

    /** Collects the table, catching an extension listed twice, which would be a silent typo. */
    private static final class TableBuilder {
        private final Map<String, String> table = new LinkedHashMap<>();

        void add(String type, String... extensions) {
            String headerValue = isTextLike(type) ? type + UTF8_CHARSET : type;
            for (String extension : extensions) {
                if (table.put(extension, headerValue) != null) {
                    throw new IllegalStateException("extension listed twice: " + extension);
                }
            }
        }

        Map<String, String> build() {
            return table;
        }
    }
}
