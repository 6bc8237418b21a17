package amped.protocol.encoding;

import java.util.Locale;
import java.util.Optional;

/**
 * The content codings this server can send (RFC 9110 §8.4.1), in tie-break preference order: when a client weighs
 * several equally, the better-compressing one wins and identity comes last.
 */
public enum ContentCoding {
    BROTLI("br", ".br"),
    GZIP("gzip", ".gz"),
    IDENTITY("identity", "");

    private final String token;
    private final String fileSuffix;

    ContentCoding(String token, String fileSuffix) {
        this.token = token;
        this.fileSuffix = fileSuffix;
    }

    /** The coding name as used in Accept-Encoding and Content-Encoding. */
    public String token() {
        return token;
    }

    /** Suffix appended to a file name to find its precompressed variant; empty for identity. */
    public String fileSuffix() {
        return fileSuffix;
    }

    /**
     * The coding for a case-insensitive token (§8.4.1). "x-gzip" is accepted as an alias of gzip (§8.4.1.3).
     */
    public static Optional<ContentCoding> fromToken(String token) {
        return switch (token.toLowerCase(Locale.ROOT)) {
            case "br" -> Optional.of(BROTLI);
            case "gzip", "x-gzip" -> Optional.of(GZIP);
            case "identity" -> Optional.of(IDENTITY);
            default -> Optional.empty();
        };
    }
}
