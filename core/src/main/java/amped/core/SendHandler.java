package amped.core;

/** Runs on the dispatcher when a socket write completes, possibly partially. */
public interface SendHandler extends EventTarget {

    void onSent(long bytes);

    void onSendFailed(Throwable failure);
}
