package amped.cli;

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

    /** SIGHUP runs {@code action} (reopening the access log after logrotate) instead of ending the JVM. */
    static void onHangup(Runnable action) {
        Signal.handle(new Signal("HUP"), signal -> action.run());
    }
}
