package amped.core;

/**
 * Runs on the dispatcher when a blocking job handed to a disk helper (opening and examining a file,
 * listing a directory) has finished.
 *
 * @param <R> what the job produces
 */
public interface DiskJobHandler<R> extends EventTarget {

    void onDiskJobDone(R result);

    void onDiskJobFailed(Throwable failure);
}
