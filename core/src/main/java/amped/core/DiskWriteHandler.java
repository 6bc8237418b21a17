package amped.core;

/** Runs on the dispatcher when a file write done by a disk helper (the access log) completes. */
public interface DiskWriteHandler extends EventTarget {

    void onDiskWritten(int bytes);

    void onDiskWriteFailed(Throwable failure);
}
