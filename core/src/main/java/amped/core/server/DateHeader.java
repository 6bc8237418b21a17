package amped.core.server;

import amped.protocol.syntax.HttpDate;
import amped.protocol.ResponseHead;

/** The Date field line, formatted once per second per dispatcher rather than once per response. */
final class DateHeader {

    private long second = Long.MIN_VALUE;
    private byte[] line;

    /** The current second since the epoch. */
    long epochSecond() {
        return Math.floorDiv(System.currentTimeMillis(), 1000);
    }

    byte[] line() {
        long now = System.currentTimeMillis();
        long s = Math.floorDiv(now, 1000);
        if (s != second) {
            second = s;
            line = ResponseHead.fieldLine("Date", HttpDate.format(s * 1000));
        }
        return line;
    }
}
