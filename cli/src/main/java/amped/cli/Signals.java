package amped.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM and SIGINT start a graceful shutdown instead of the JVM's immediate exit (which would also
 * make the exit code 143); SIGHUP reopens the access log instead of ending the process. {@code sun.misc.Signal} lives in jdk.unsupported, the module the JDK keeps
 * for exactly this.
 */
final class Signals {

    private Signals() {
    }

    static void onTerminate(Runnable shutdown) {
        Thread[] once = new Thread[1];
        SignalHandler handler = signal -> {
            synchronized (once) {
                if (once[0] == null) {
                    once[0] = new Thread(shutdown, "amped-shutdown");
                    once[0].start();
                }
            }
        };
        Signal.handle(new Signal("TERM"), handler);
        Signal.handle(new Signal("INT"), handler);
    }

    /**
     * SIGHUP runs {@code action} (reopening the access log after logrotate) instead of ending the JVM.
     * Returns false when SIGHUP was ignored at start (nohup, or any parent ignoring it): the JVM then
     * installs no handler and the signal never arrives.
     */
    static boolean onHangup(Runnable action) {
        SignalHandler previous = Signal.handle(new Signal("HUP"), signal -> action.run());
        return previous != SignalHandler.SIG_IGN && !hangupIgnored();
    }

    /** Whether the kernel ignores SIGHUP for this process (bit 0 of SigIgn in /proc/self/status, Linux). */
    static boolean hangupIgnored() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 1) != 0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: what Signal.handle returned is all there is
        }
        return false;
    }
}
