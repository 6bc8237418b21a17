package amped.core;

/** Runs on the dispatcher when a file read done by a disk helper thread completes. */
public interface DiskReadHandler extends EventTarget {

    /** @param bytes bytes read, or -1 at end of file */
    void onDiskRead(int bytes);

    void onDiskReadFailed(Throwable failure);
}
