package amped.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A daemon the tests put in front of amped (haproxy, varnishd), run in the foreground with its output to
 * a file. Closing it sends SIGTERM to it and to its children (varnishd's worker), then kills what is left.
 */
final class ForegroundDaemon implements AutoCloseable {

    final Process process;
    final Path output;

    private ForegroundDaemon(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    static ForegroundDaemon start(List<String> command, Path output) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        return new ForegroundDaemon(builder.start(), output);
    }

    String output() {
        return TestFiles.readForMessage(output);
    }

    /** SIGTERM and a wait of up to {@code seconds}; true when it has ended. */
    boolean stop(long seconds) throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        try {
            if (!stop(10)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    /**
     * {@code count} distinct loopback ports free a moment ago, for programs that must be told a port
     * before they start (haproxy, varnishd, an instance restarted on its port). Another program could
     * take one meanwhile; on a test machine that is rare and shows as a failure to bind, never as a pass.
     */
    static List<Integer> freePorts(int count) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                ServerSocket s = new ServerSocket();
                held.add(s);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            }
            return held.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
    }
}
