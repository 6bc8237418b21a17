package amped.protocol;

/**
 * Bounds on what one request may make the parser hold. Everything the parser keeps grows only up to these,
 * so a hostile client costs at most {@code maxRequestLine + maxHeaderBytes} bytes of parser memory.
 *
 * @param maxRequestLine   longest request line, in bytes, not counting its line end (longer: 414)
 * @param maxHeaderBytes   longest header section, in bytes, counting line ends and the empty line that ends
 *                         it (longer: 431); a chunked body's trailer section is bounded the same way
 * @param maxHeaderCount   most header fields (more: 431)
 * @param maxDiscardedBody largest request body read and thrown away (a GET with a body); larger: 413
 */
public record ParseLimits(int maxRequestLine, int maxHeaderBytes, int maxHeaderCount, long maxDiscardedBody) {

    public static final ParseLimits DEFAULTS = new ParseLimits(8 * 1024, 16 * 1024, 100, 64 * 1024);

    public ParseLimits {
        if (maxRequestLine < 16 || maxHeaderBytes < 16 || maxHeaderCount < 1 || maxDiscardedBody < 0) {
            throw new IllegalArgumentException("parse limits too small: " + maxRequestLine + "/" + maxHeaderBytes
                    + "/" + maxHeaderCount + "/" + maxDiscardedBody);
        }
    }
}
