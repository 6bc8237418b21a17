package amped.core.server;

/**
 * Whether an exchange still wants what it asked the disk helpers for, shared between its dispatcher and
 * them: withdrawn when the exchange ends, sent or abandoned. What a lookup joins on the exchange's behalf
 * (a shared listing) attaches how to let go of it, and is let go of exactly once.
 */
final class Interest {

    private Runnable onWithdraw;
    private boolean withdrawn;

    synchronized boolean withdrawn() {
        return withdrawn;
    }

    /** Runs {@code release} when the interest is withdrawn; false (and nothing attached) if it already was. */
    synchronized boolean attach(Runnable release) {
        if (withdrawn) {
            return false;
        }
        onWithdraw = release;
        return true;
    }

    /** The exchange is over: what was attached is let go of (once, on this thread). */
    void withdraw() {
        Runnable release;
        synchronized (this) {
            if (withdrawn) {
                return;
            }
            withdrawn = true;
            release = onWithdraw;
            onWithdraw = null;
        }
        if (release != null) {
            release.run();
        }
    }
}
