package amped.protocol;

import amped.protocol.syntax.Ows;
import amped.protocol.syntax.Tokens;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
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

    private static final String TABLE_RESOURCE = "mime.types";

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

    /** The table in {@code mime.types} beside this class, as extension to header value. */
    private static Map<String, String> builtInTable() {
        try (InputStream in = MimeTypes.class.getResourceAsStream(TABLE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + TABLE_RESOURCE);
            }
            return parseTable(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + TABLE_RESOURCE, e);
        }
    }

    /**
     * Reads lines of {@code extension type}; blank lines and {@code #} comments are skipped. A malformed
     * line or an extension listed twice, which would be a silent typo, fails the load.
     */
    static Map<String, String> parseTable(String text) {
        Map<String, String> table = new HashMap<>();
        int lineNumber = 0;
        for (String line : text.split("\n")) {
            lineNumber++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] fields = trimmed.split("\\s+");
            if (fields.length != 2 || !fields[0].equals(asciiLowercase(fields[0]))) {
                throw new IllegalStateException(TABLE_RESOURCE + ":" + lineNumber + ": expected \"extension type\"");
            }
            String headerValue = isTextLike(fields[1]) ? fields[1] + UTF8_CHARSET : fields[1];
            if (table.put(fields[0], headerValue) != null) {
                throw new IllegalStateException(TABLE_RESOURCE + ":" + lineNumber + ": extension listed twice: "
                        + fields[0]);
            }
        }
        return table;
    }
}
