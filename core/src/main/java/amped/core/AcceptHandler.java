package amped.core;

import java.nio.channels.AsynchronousSocketChannel;

/** Runs on the dispatcher when an accept completes. */
public interface AcceptHandler extends EventTarget {

    void onAccepted(AsynchronousSocketChannel channel);

    void onAcceptFailed(Throwable failure);
}
