package amped.core;

/** Runs on the dispatcher when a socket read completes. */
public interface ReceiveHandler extends EventTarget {

    /** @param bytes bytes read into the buffer, or -1 at end of stream */
    void onReceived(int bytes);

    void onReceiveFailed(Throwable failure);
}
