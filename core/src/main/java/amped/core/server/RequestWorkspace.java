package amped.core.server;

import amped.protocol.ParseLimits;
import amped.protocol.RequestParser;
import amped.protocol.ResponseHead;
import java.util.ArrayDeque;

/**
 * What a connection needs only while it reads or answers a request: the parser (with the head it
 * collects) and the head of the response. An idle keep-alive connection holds none of it; it borrows one
 * from its loop when the first byte of a request arrives and gives it back when it is idle again.
 */
record RequestWorkspace(RequestParser parser, ResponseHead response) {

    /** A loop's free workspaces. Dispatcher-confined. */
    static final class Pool {
        /** Kept for reuse at most: the connections busy at once on a loaded dispatcher; more are made afresh. */
        private static final int KEPT = 256;
        private final ArrayDeque<RequestWorkspace> free = new ArrayDeque<>();
        private final ParseLimits limits;
        /** Borrowed and not given back: what connections reading or answering a request hold. */
        private int lent;

        Pool(ParseLimits limits) {
            this.limits = limits;
        }

        RequestWorkspace borrow() {
            lent++;
            RequestWorkspace w = free.pollLast();
            return w != null ? w : new RequestWorkspace(new RequestParser(limits), new ResponseHead());
        }

        /** Only for a workspace whose parser is idle (between requests) and that nothing else still uses. */
        void giveBack(RequestWorkspace w) {
            lent--;
            if (free.size() < KEPT) {
                free.addLast(w);
            }
        }

        /** Workspaces held by connections now (a closed connection's is left to the collector, still counted). */
        int lent() {
            return lent;
        }
    }
}
