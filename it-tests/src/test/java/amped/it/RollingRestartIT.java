package amped.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference deployment ({@code deploy/haproxy/haproxy.cfg}): three packaged amped instances behind a
 * real HAProxy, restarted one after another under steady load (small files, and downloads of a large
 * file that last longer than the drain), each as an operator does it: SIGTERM, wait for the exit, start
 * again on the same port. No request may fail, every body must be right, and the access logs of the
 * instances together must hold exactly the requests made, each instance's the ones HAProxy sent it.
 * Skipped only when haproxy is not installed.
 */
@Timeout(90)
class RollingRestartIT {

    private static final String DRAIN = "3s";
    private static final long LARGE = 48L * 1024 * 1024;
    private static final String[] SERVERS = {"a1", "a2", "a3"};

    @TempDir
    Path work;
    Path root;
    private final List<Instance> instances = new ArrayList<>();
    private Haproxy haproxy;
    private SteadyLoad load;

    /** One amped of the fleet: its ports (the same across restarts), its access log and current process. */
    private final class Instance {
        final String name;
        final int port;
        final int statusPort;
        final Path accessLog;
        AmpedProcess process;
        int runs;

        Instance(String name, int port, int statusPort) {
            this.name = name;
            this.port = port;
            this.statusPort = statusPort;
            this.accessLog = work.resolve(name + "-access.log");
        }

        /** As the README starts an instance of the fleet. */
        void start() throws Exception {
            process = AmpedProcess.start(AmpedProcess.javaCommand(List.of("-Xmx256m"), root.toString(),
                    "--port", Integer.toString(port), "--status-listen", "127.0.0.1:" + statusPort,
                    "--drain-delay", DRAIN, "--shutdown-timeout", "60s", "--access-log", accessLog.toString()),
                    work.resolve(name + "-" + runs++ + ".stderr"));
        }

        /** The test's requests this instance logged, over all its runs. */
        long logged() throws IOException {
            return Files.readAllLines(accessLog).stream().filter(l -> l.contains("\"GET /load/")).count();
        }
    }

    @AfterEach
    void stopAll() {
        if (load != null) {
            load.close();
        }
        for (Instance i : instances) {
            if (i.process != null) {
                i.process.close();
            }
        }
        if (haproxy != null) {
            haproxy.close();
        }
    }

    private List<SteadyLoad.Small> writeTree() throws IOException {
        root = Files.createDirectories(work.resolve("tree/load"));
        List<SteadyLoad.Small> small = new ArrayList<>();
        for (int k = 0; k < 24; k++) {
            byte[] bytes = TestFiles.bytes(100 + k, 200 + k * 1500);
            Files.write(root.resolve("s" + k + ".bin"), bytes);
            small.add(new SteadyLoad.Small("/load/s" + k + ".bin", bytes));
        }
        root = root.getParent();
        return small;
    }

    private void awaitState(String server, String state, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(() -> haproxy.state(server).orElse("?").equals(state));
    }

    @Test
    void threeInstancesRestartedOneAfterAnotherUnderLoadFailNoRequest() throws Exception {
        Path executable = Tools.require("haproxy", "haproxy");
        List<SteadyLoad.Small> small = writeTree();
        String largeSha = TestFiles.write(root.resolve("load/large.bin"), LARGE, 77);

        List<Integer> ports = ForegroundDaemon.freePorts(8);
        Map<String, Integer> documented = new LinkedHashMap<>();
        documented.put("127.0.0.1:8080", ports.get(0));
        documented.put("127.0.0.1:8404", ports.get(1));
        for (int i = 0; i < 3; i++) {
            Instance instance = new Instance(SERVERS[i], ports.get(2 + i), ports.get(5 + i));
            documented.put("127.0.0.1:808" + (i + 1), instance.port);
            documented.put("port 908" + (i + 1), instance.statusPort);
            instances.add(instance);
            instance.start();
        }
        haproxy = Haproxy.start(executable, documented, "127.0.0.1:8404", work);
        for (String server : SERVERS) {
            awaitState(server, "UP", Duration.ofSeconds(15));
        }

        load = new SteadyLoad(URI.create("http://127.0.0.1:" + ports.get(0) + "/"), small, 4, Duration.ofMillis(20),
                new SteadyLoad.Large("/load/large.bin", largeSha, LARGE), 5, 8L * 1024 * 1024);
        await().atMost(Duration.ofSeconds(10)).until(() -> load.requests.get() > 100);

        List<String> timings = new ArrayList<>();
        for (Instance instance : instances) {
            // a download under way on it, which must finish although the instance stops
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> haproxy.inFlight(instance.name) > 0);
            long inFlight = haproxy.inFlight(instance.name);
            long start = System.nanoTime();
            instance.process.process.destroy(); // SIGTERM
            awaitState(instance.name, "DOWN", Duration.ofSeconds(10));
            long down = System.nanoTime();
            assertTrue(instance.process.process.isAlive(), "taken out of rotation while still serving (the drain)");
            assertTrue(instance.process.process.waitFor(30, TimeUnit.SECONDS), instance.name + " stops");
            assertEquals(0, instance.process.process.exitValue(), instance.process.stderr());
            long exited = System.nanoTime();
            instance.start();
            long started = System.nanoTime();
            awaitState(instance.name, "UP", Duration.ofSeconds(15));
            long up = System.nanoTime();
            timings.add(String.format("%s: %d in flight at SIGTERM, out of rotation %d ms, exited %d ms, listening again %d ms, back in rotation"
                    + " %d ms after SIGTERM", instance.name, inFlight, ms(down - start), ms(exited - start), ms(started - start),
                    ms(up - start)));
        }
        long largeBefore = load.largeDone.get();
        await().atMost(Duration.ofSeconds(15)).until(() -> load.largeDone.get() > largeBefore);
        assertTrue(load.stop(Duration.ofSeconds(15)), "the load ends");

        // the last lines: each instance writes its log before it exits, HAProxy as each request ends
        for (Instance instance : instances) {
            instance.process.process.destroy();
        }
        for (Instance instance : instances) {
            assertTrue(instance.process.process.waitFor(20, TimeUnit.SECONDS));
            assertEquals(0, instance.process.process.exitValue(), instance.process.stderr());
        }
        String summary = "requests " + load.requests.get() + " (large downloads " + load.largeDone.get() + "), failed "
                + load.failures.size() + "\n" + String.join("\n", timings);
        System.out.println("rolling restart: " + summary);
        assertEquals(List.of(), List.copyOf(load.failures), summary);

        long logged = 0;
        Map<String, Long> byInstance = new LinkedHashMap<>();
        for (Instance instance : instances) {
            long n = instance.logged();
            assertTrue(n > 0, instance.name + " served");
            byInstance.put(instance.name, n);
            logged += n;
        }
        assertEquals(load.requests.get(), logged, "the access logs hold every request made, once: " + byInstance);

        // HAProxy's own log says which instance answered each request; it may drop a line, and counts those
        await().atMost(Duration.ofSeconds(5)).until(() -> haproxyLogged().size() + haproxy.droppedLogLines()
                == load.requests.get());
        List<Haproxy.Routed> routed = haproxyLogged();
        long dropped = haproxy.droppedLogLines();
        assertEquals(List.of(), routed.stream().filter(r -> r.status() != 200 || !r.termination().equals("----")).toList(),
                "every request ended normally");
        Map<String, Long> byServer = routed.stream().collect(Collectors.groupingBy(Haproxy.Routed::server, Collectors.counting()));
        long unattributed = 0;
        for (Instance instance : instances) {
            long sent = byServer.getOrDefault(instance.name, 0L);
            assertTrue(sent <= byInstance.get(instance.name), instance.name + "'s log holds what HAProxy sent it: "
                    + byInstance + " logged, " + byServer + " sent");
            unattributed += byInstance.get(instance.name) - sent;
        }
        assertEquals(dropped, unattributed, "each instance logged what HAProxy says it sent it, but for the lines HAProxy"
                + " dropped: " + byInstance + " logged, " + byServer + " sent");
        System.out.println("rolling restart: retried by HAProxy "
                + routed.stream().filter(r -> !r.retries().equals("0")).count() + "; logged by instance " + byInstance
                + ", HAProxy's log lines dropped " + dropped);
        assertTrue(haproxy.stop(10), "haproxy stops");
    }

    private List<Haproxy.Routed> haproxyLogged() {
        return haproxy.routed().stream().filter(r -> r.path().startsWith("/load/")).toList();
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
