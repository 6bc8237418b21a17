package amped.cli;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * SIGTERM and SIGINT start a graceful shutdown instead of the JVM's immediate exit (which would also
 * make the exit code 143); SIGHUP reopens the access log instead of ending the process. {@code sun.misc.Signal} lives in jdk.unsupported, the module the JDK keeps
 * for exactly this. It is reached by name: javac warns of any reference to sun.misc in source, a warning no
 * annotation silences, and the build treats warnings as errors.
 */
final class Signals {

    private Signals() {
    }

    static void onTerminate(Runnable shutdown) {
        Thread[] once = new Thread[1];
        Runnable handler = () -> {
            synchronized (once) {
                if (once[0] == null) {
                    once[0] = new Thread(shutdown, "amped-shutdown");
                    once[0].start();
                }
            }
        };
        handle("TERM", handler);
        handle("INT", handler);
    }

    /**
     * SIGHUP runs {@code action} (reopening the access log after logrotate) instead of ending the JVM.
     * Returns false when SIGHUP was ignored at start (nohup, or any parent ignoring it): the JVM then
     * installs no handler and the signal never arrives.
     */
    static boolean onHangup(Runnable action) {
        Object previous = handle("HUP", action);
        return !isIgnoreHandler(previous) && !hangupIgnored();
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

    /**
     * {@code Signal.handle(new Signal(name), signal -> action.run())}, returning the previous handler.
     * Reached by name: javac warns of any reference to sun.misc in source, a warning no annotation silences.
     */
    private static Object handle(String name, Runnable action) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Object handler = Proxy.newProxyInstance(handlerType.getClassLoader(), new Class<?>[] {handlerType},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "handle" -> {
                            action.run();
                            yield null;
                        }
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> "amped " + name + " handler";
                    });
            return signal.getMethod("handle", signal, handlerType)
                    .invoke(null, signal.getConstructor(String.class).newInstance(name), handler);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot handle SIG" + name, e);
        }
    }

    /** Whether {@code handler} is {@code SignalHandler.SIG_IGN}. */
    private static boolean isIgnoreHandler(Object handler) {
        try {
            return handler == Class.forName("sun.misc.SignalHandler").getField("SIG_IGN").get(null);
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
