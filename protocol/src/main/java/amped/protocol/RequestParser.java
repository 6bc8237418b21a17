package amped.protocol;

import amped.protocol.syntax.Ascii;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * An incremental HTTP/1.1 request parser (RFC 9112) with explicit states. Feed it whatever bytes arrived;
 * it consumes what it can and says whether a request head is complete, more bytes are needed, or the
 * request is malformed (with the status to answer). A request may be split at any byte across calls, and
 * one buffer may hold several pipelined requests: the parser stops after each complete head and continues
 * from the same buffer on the next call.
 *
 * <p>A body (a GET with {@code Content-Length} or chunked) is consumed and discarded on the call after the
 * head, up to {@link ParseLimits#maxDiscardedBody()}; that keeps pipelined requests aligned.
 *
 * <p>The parser is strict where leniency enables request smuggling: bare CR, obs-fold, whitespace before
 * the colon, control characters, conflicting or malformed {@code Content-Length}, and {@code
 * Content-Length} together with {@code Transfer-Encoding} are all errors (400). A line may end in LF
 * alone (RFC 9112 §2.2 lets a recipient accept that).
 */
public final class RequestParser {

    public enum Status {
        /** Everything given was consumed (or buffered); call again with more bytes. */
        NEED_MORE,
        /** A request head is complete: read it with {@link #head()}; call again to go on. */
        HEAD_COMPLETE,
        /** The input is not a valid request: answer {@link #errorStatus()} (if no response started) and close. */
        ERROR
    }

    private enum State { REQUEST_LINE, HEADER_LINE, HEAD_COMPLETE, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILER, FAILED }

    private static final int NEED_MORE = -1;
    private static final int TOO_LONG = -2;
    private static final int BARE_CR = -3;
    private static final int MAX_EMPTY_LINES_BEFORE_REQUEST = 16;
    private static final int MAX_CHUNK_LINE = 1024;
    private static final int MAX_LENGTH_DIGITS = 18;

    private final ParseLimits limits;
    private final RequestHead head = new RequestHead(16);
    private byte[] buf = new byte[512];
    private int length;
    private int lineStart;
    private State state = State.REQUEST_LINE;
    /** The state an error happened in, so that {@link #inBody()} still answers for it after {@code FAILED}. */
    private State failedIn;
    private int emptyLines;
    private int headerBytes;
    private long bodyRemaining;
    private long bodyDiscarded;
    private int errorStatus;
    private String errorReason;

    public RequestParser(ParseLimits limits) {
        this.limits = limits;
        head.bytes = buf;
        head.reset();
    }

    /** The current request head; valid after {@link Status#HEAD_COMPLETE} until the next call to parse. */
    public RequestHead head() {
        return head;
    }

    public int errorStatus() {
        return errorStatus;
    }

    public String errorReason() {
        return errorReason;
    }

    /** True when no byte of a next request has been received: the connection is idle between requests. */
    public boolean isIdle() {
        return state == State.REQUEST_LINE && length == 0 && emptyLines == 0;
    }

    /**
     * True while a request body is being discarded, or when the parse failed there: an error in a body comes
     * after that request's response was sent, so it must not be answered as if it were another request.
     */
    public boolean inBody() {
        // After an error, answer for the state it happened in: a caller asks exactly then (to decide whether
        // a response already went out), and FAILED alone cannot tell a bad head from a bad chunked body.
        State s = state == State.FAILED ? failedIn : state;
        return s == State.BODY || s == State.CHUNK_SIZE || s == State.CHUNK_DATA
                || s == State.CHUNK_END || s == State.TRAILER;
    }

    /** Consumes bytes from {@code in} (advancing its position) and reports how far the parse got. */
    public Status parse(ByteBuffer in) {
        if (state == State.HEAD_COMPLETE) {
            startBody();
        }
        while (true) {
            switch (state) {
                case REQUEST_LINE: {
                    int end = readLine(in, limits.maxRequestLine());
                    if (end < 0) {
                        return lineProblem(end, 414, "request line too long");
                    }
                    if (end == lineStart) {
                        // RFC 9112 §2.2: empty lines before the request line are ignored (bounded here)
                        if (++emptyLines > MAX_EMPTY_LINES_BEFORE_REQUEST) {
                            return fail(400, "too many empty lines");
                        }
                        length = 0;
                        lineStart = 0;
                        continue;
                    }
                    if (!parseRequestLine(end)) {
                        return Status.ERROR;
                    }
                    lineStart = length;
                    state = State.HEADER_LINE;
                    break;
                }
                case HEADER_LINE: {
                    // The header section, field lines and the empty line that ends it, counted with their line
                    // ends, may take maxHeaderBytes: this line gets what is left but the one byte of its LF.
                    int end = readLine(in, limits.maxHeaderBytes() - headerBytes - 1);
                    if (end < 0) {
                        return lineProblem(end, 431, "header section too large");
                    }
                    headerBytes += length - lineStart + 1;
                    if (headerBytes > limits.maxHeaderBytes()) {
                        return fail(431, "header section too large"); // the line fitted, its CR LF did not
                    }
                    if (end == lineStart) {
                        return finishHead();
                    }
                    if (head.headerCount >= limits.maxHeaderCount()) {
                        return fail(431, "too many header fields");
                    }
                    if (!parseHeaderLine(end)) {
                        return Status.ERROR;
                    }
                    lineStart = length;
                    break;
                }
                case HEAD_COMPLETE:
                    return Status.HEAD_COMPLETE;
                case BODY: {
                    long skip = Math.min(bodyRemaining, in.remaining());
                    in.position(in.position() + (int) skip);
                    bodyRemaining -= skip;
                    if (bodyRemaining > 0) {
                        return Status.NEED_MORE;
                    }
                    startNextRequest();
                    break;
                }
                case CHUNK_SIZE: {
                    int end = readLine(in, MAX_CHUNK_LINE);
                    if (end < 0) {
                        return lineProblem(end, 400, "chunk size line too long");
                    }
                    long size = parseChunkSize(end);
                    if (size < 0) {
                        return fail(400, "invalid chunk size");
                    }
                    bodyDiscarded += size;
                    if (bodyDiscarded > limits.maxDiscardedBody()) {
                        return fail(413, "request body too large");
                    }
                    length = 0;
                    lineStart = 0;
                    bodyRemaining = size;
                    state = size == 0 ? State.TRAILER : State.CHUNK_DATA;
                    break;
                }
                case CHUNK_DATA: {
                    long skip = Math.min(bodyRemaining, in.remaining());
                    in.position(in.position() + (int) skip);
                    bodyRemaining -= skip;
                    if (bodyRemaining > 0) {
                        return Status.NEED_MORE;
                    }
                    state = State.CHUNK_END;
                    break;
                }
                case CHUNK_END: {
                    int end = readLine(in, 0);
                    if (end < 0) {
                        return lineProblem(end, 400, "chunk data not followed by CRLF");
                    }
                    if (end != lineStart) {
                        return fail(400, "chunk data not followed by CRLF");
                    }
                    length = 0;
                    state = State.CHUNK_SIZE;
                    break;
                }
                case TRAILER: {
                    // counted like the header section
                    int end = readLine(in, limits.maxHeaderBytes() - headerBytes - 1);
                    if (end < 0) {
                        return lineProblem(end, 431, "trailer section too large");
                    }
                    headerBytes += length - lineStart + 1;
                    if (headerBytes > limits.maxHeaderBytes()) {
                        return fail(431, "trailer section too large");
                    }
                    if (end == lineStart) {
                        startNextRequest();
                        break;
                    }
                    if (!validTrailerLine(end)) {
                        return fail(400, "invalid trailer field");
                    }
                    length = 0;
                    lineStart = 0;
                    break;
                }
                case FAILED:
                    return Status.ERROR;
                default:
                    throw new IllegalStateException(state.toString());
            }
        }
    }

    /**
     * Appends input up to and including the next LF to the current line (the LF and a CR before it are
     * not kept). Returns the line's end offset in {@code buf}, {@link #NEED_MORE} when the input ran out
     * first, {@link #TOO_LONG} when the line has more than {@code maxLine} bytes before its line end, or
     * {@link #BARE_CR}.
     */
    private int readLine(ByteBuffer in, int maxLine) {
        // The line end (CR LF or LF) is not part of the line (RFC 9112 §2.1), so a CR ending the line must
        // not count against maxLine: otherwise a line of exactly maxLine bytes passes with LF but fails
        // with CRLF. So buf may hold maxLine bytes plus that CR. The scan stops at the very byte that makes
        // the line too long, so how much is consumed does not depend on how the input was split.
        int pos = in.position();
        int limit = in.limit();
        int held = length - lineStart;
        boolean tooLong = held > maxLine + 1 || (held == maxLine + 1 && (held == 0 || buf[length - 1] != '\r'));
        int i = pos;
        int lf = -1;
        while (!tooLong && i < limit) {
            byte b = in.get(i++);
            if (b == '\n') {
                lf = i - 1;
                break;
            }
            held++;
            // past maxLine bytes only the CR of the line end may come, and after it only the LF
            tooLong = held > maxLine + 1 || (held == maxLine + 1 && b != '\r');
        }
        append(in, pos, (lf >= 0 ? lf : i) - pos);
        in.position(i);
        if (tooLong) {
            return TOO_LONG;
        }
        if (lf < 0) {
            return NEED_MORE;
        }
        int end = length;
        if (end > lineStart && buf[end - 1] == '\r') {
            end--;
        }
        // a CR not followed by LF: reject rather than guess, as RFC 9112 §2.2 allows
        return indexOf(lineStart, end, (byte) '\r') >= 0 ? BARE_CR : end;
    }

    private void append(ByteBuffer in, int from, int count) {
        if (length + count > buf.length) {
            // doubling, but never past what the limits let a head hold (plus a line end)
            int cap = limits.maxRequestLine() + limits.maxHeaderBytes() + 2;
            buf = Arrays.copyOf(buf, Math.max(Math.min(buf.length * 2, cap), length + count));
            head.bytes = buf;
        }
        in.get(from, buf, length, count);
        length += count;
    }

    private int indexOf(int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private boolean parseRequestLine(int end) {
        int i = skipToken(lineStart, end);
        if (i == lineStart || i >= end || buf[i] != ' ') {
            return failed(400, "malformed request line");
        }
        head.methodStart = lineStart;
        head.methodEnd = i;
        head.method = Method.lookup(buf, lineStart, i);
        int targetStart = ++i;
        while (i < end && Ascii.isTargetChar(buf[i])) {
            i++;
        }
        if (i == targetStart || i >= end || buf[i] != ' ') {
            return failed(400, "malformed request target");
        }
        head.targetStart = targetStart;
        head.targetEnd = i;
        i++;
        if (end - i != 8 || buf[i] != 'H' || buf[i + 1] != 'T' || buf[i + 2] != 'T' || buf[i + 3] != 'P'
                || buf[i + 4] != '/' || !Ascii.isDigit(buf[i + 5]) || buf[i + 6] != '.' || !Ascii.isDigit(buf[i + 7])) {
            return failed(400, "malformed HTTP version");
        }
        int major = buf[i + 5] - '0';
        int minor = buf[i + 7] - '0';
        if (major != 1) {
            return failed(505, "HTTP version not supported");
        }
        head.version = minor == 0 ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1;
        return true;
    }

    private boolean parseHeaderLine(int end) {
        int start = lineStart;
        if (Ascii.isWhitespace(buf[start])) {
            // obs-fold (or whitespace before the first field): RFC 9112 §5.2 lets us reject it
            return failed(400, "obsolete line folding");
        }
        int i = skipToken(start, end);
        if (i == start || i >= end || buf[i] != ':') {
            // covers whitespace between name and colon, which RFC 9112 §5.1 says MUST be rejected
            return failed(400, "malformed header field");
        }
        int valueStart = trimStart(i + 1, end);
        int valueEnd = trimEnd(valueStart, end);
        if (!isFieldText(valueStart, valueEnd)) {
            return failed(400, "invalid character in header field value");
        }
        head.addHeader(start, i, valueStart, valueEnd);
        return true;
    }

    private Status finishHead() {
        boolean transferEncoding = false;
        boolean chunkedLast = false;
        boolean chunkedSeen = false;
        boolean otherCoding = false;
        int hosts = 0;
        for (int i = 0; i < head.headerCount; i++) {
            int vs = head.valueStart[i];
            int ve = head.valueEnd[i];
            if (head.nameEquals(i, "content-length")) {
                long value = parseContentLength(vs, ve);
                if (value < 0 || (head.contentLength >= 0 && head.contentLength != value)) {
                    return fail(400, "invalid Content-Length");
                }
                head.contentLength = value;
            } else if (head.nameEquals(i, "transfer-encoding")) {
                transferEncoding = true;
                for (int s = vs; s <= ve; ) {
                    int comma = indexOf(s, ve, (byte) ',');
                    int e = comma < 0 ? ve : comma;
                    int ts = trimStart(s, e);
                    int te = trimEnd(ts, e);
                    if (ts < te) {
                        if (equalsIgnoreCase(ts, te, "chunked")) {
                            if (chunkedSeen) {
                                return fail(400, "chunked applied twice");
                            }
                            chunkedSeen = true;
                            chunkedLast = true;
                        } else {
                            otherCoding = true;
                            chunkedLast = false;
                        }
                    }
                    s = e + 1;
                }
            } else if (head.nameEquals(i, "host")) {
                hosts++;
                if (!validHost(vs, ve)) {
                    return fail(400, "invalid Host");
                }
            } else if (head.nameEquals(i, "connection")) {
                for (int s = vs; s <= ve; ) {
                    int comma = indexOf(s, ve, (byte) ',');
                    int e = comma < 0 ? ve : comma;
                    int ts = trimStart(s, e);
                    int te = trimEnd(ts, e);
                    if (equalsIgnoreCase(ts, te, "close")) {
                        head.connectionClose = true;
                    } else if (equalsIgnoreCase(ts, te, "keep-alive")) {
                        head.connectionKeepAlive = true;
                    }
                    s = e + 1;
                }
            } else if (head.nameEquals(i, "expect") && head.version == HttpVersion.HTTP_1_1) {
                // RFC 9110 §10.1.1: the only expectation is 100-continue; HTTP/1.0 expectations are ignored
                if (!equalsIgnoreCase(vs, ve, "100-continue")) {
                    return fail(417, "unsupported expectation");
                }
                head.expectContinue = true;
            }
        }
        if (transferEncoding) {
            if (head.version == HttpVersion.HTTP_1_0) {
                return fail(400, "Transfer-Encoding in an HTTP/1.0 request");
            }
            if (head.contentLength >= 0) {
                // RFC 9112 §6.1: both together is a smuggling attempt until proven otherwise
                return fail(400, "both Content-Length and Transfer-Encoding");
            }
            if (!chunkedLast) {
                // RFC 9112 §6.3 (4): when chunked is not the final coding the body length cannot be determined,
                // and the server MUST answer 400, whatever other codings are listed (the SHOULD of 501 for an
                // unknown coding in §6.1 does not override that MUST)
                return fail(400, "chunked is not the final transfer coding");
            }
            if (otherCoding) {
                // RFC 9112 §6.1: a transfer coding we do not implement, under a final chunked
                return fail(501, "unsupported transfer coding");
            }
            head.chunked = true;
        }
        if (head.version == HttpVersion.HTTP_1_1 && hosts == 0) {
            return fail(400, "missing Host");
        }
        if (hosts > 1) {
            return fail(400, "more than one Host");
        }
        if (head.contentLength > limits.maxDiscardedBody()) {
            return fail(413, "request body too large");
        }
        state = State.HEAD_COMPLETE;
        return Status.HEAD_COMPLETE;
    }

    private void startBody() {
        length = 0;
        lineStart = 0;
        bodyDiscarded = 0;
        headerBytes = 0;
        if (head.chunked) {
            state = State.CHUNK_SIZE;
        } else if (head.contentLength > 0) {
            bodyRemaining = head.contentLength;
            state = State.BODY;
        } else {
            startNextRequest();
        }
    }

    private void startNextRequest() {
        length = 0;
        lineStart = 0;
        emptyLines = 0;
        headerBytes = 0;
        bodyRemaining = 0;
        head.reset();
        state = State.REQUEST_LINE;
    }

    /** A Content-Length value: one or more equal comma-separated decimal numbers; -1 when invalid. */
    private long parseContentLength(int from, int to) {
        long value = -1;
        for (int s = from; s <= to; ) {
            int comma = indexOf(s, to, (byte) ',');
            int e = comma < 0 ? to : comma;
            int ts = trimStart(s, e);
            int te = trimEnd(ts, e);
            int digits = te - ts;
            if (digits == 0 || digits > MAX_LENGTH_DIGITS) {
                return -1;
            }
            long n = 0;
            for (int k = ts; k < te; k++) {
                if (!Ascii.isDigit(buf[k])) {
                    return -1;
                }
                n = n * 10 + (buf[k] - '0');
            }
            if (value >= 0 && value != n) {
                return -1;
            }
            value = n;
            s = e + 1;
        }
        return value;
    }

    /** chunk-size [ BWS ";" chunk-ext ]: the size, or -1 when invalid. */
    private long parseChunkSize(int end) {
        long size = 0;
        int i = lineStart;
        int digits = 0;
        while (i < end && Ascii.hexValue(buf[i]) >= 0) {
            if (++digits > 15) {
                return -1;
            }
            size = size * 16 + Ascii.hexValue(buf[i]);
            i++;
        }
        if (digits == 0) {
            return -1;
        }
        i = trimStart(i, end);
        if (i < end && buf[i] != ';') {
            return -1;
        }
        return isFieldText(i, end) ? size : -1;
    }

    private boolean validTrailerLine(int end) {
        int i = skipToken(lineStart, end);
        return i > lineStart && i < end && buf[i] == ':' && isFieldText(i + 1, end);
    }

    /** Host = uri-host [ ":" port ]; only the characters a reg-name, IP literal or port may hold. */
    private boolean validHost(int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = buf[i];
            boolean ok = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || Ascii.isDigit(b)
                    || "-._~!$&'()*+,;=:[]%".indexOf(b) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private int skipToken(int from, int to) {
        int i = from;
        while (i < to && Ascii.isTchar(buf[i])) {
            i++;
        }
        return i;
    }

    /** Whether buf[from, to) holds only field-vchar, SP and HTAB (RFC 9110 §5.5). */
    private boolean isFieldText(int from, int to) {
        for (int i = from; i < to; i++) {
            if (!Ascii.isFieldVchar(buf[i]) && !Ascii.isWhitespace(buf[i])) {
                return false;
            }
        }
        return true;
    }

    private int trimStart(int from, int to) {
        while (from < to && Ascii.isWhitespace(buf[from])) {
            from++;
        }
        return from;
    }

    private int trimEnd(int from, int to) {
        while (to > from && Ascii.isWhitespace(buf[to - 1])) {
            to--;
        }
        return to;
    }

    private boolean equalsIgnoreCase(int from, int to, String lower) {
        if (to - from != lower.length()) {
            return false;
        }
        for (int i = 0; i < lower.length(); i++) {
            if (Ascii.toLower(buf[from + i]) != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private Status lineProblem(int code, int tooLongStatus, String tooLongReason) {
        if (code == NEED_MORE) {
            return Status.NEED_MORE;
        }
        return code == TOO_LONG ? fail(tooLongStatus, tooLongReason) : fail(400, "bare CR");
    }

    private Status fail(int status, String reason) {
        failed(status, reason);
        return Status.ERROR;
    }

    private boolean failed(int status, String reason) {
        if (state != State.FAILED) {
            failedIn = state;
            errorStatus = status;
            errorReason = reason;
            state = State.FAILED;
        }
        return false;
    }
}
