package amped.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real download tools against the server: curl (whole and resumed), wget -c, and aria2c with 16 connections.
 * A test is skipped only when its tool is not installed; CI must install curl, wget and aria2.
 */
@Timeout(180)
class ExternalClientsIT {

    private static final long SIZE = 24L * 1024 * 1024;

    @TempDir
    static Path root;
    static String sha;
    @TempDir
    Path downloads;
    TestServer server;

    @RegisterExtension
    final AmpedServerExtension servers = new AmpedServerExtension();

    @BeforeAll
    static void writeFile() throws Exception {
        sha = TestFiles.write(root.resolve("big file.bin"), SIZE, 24);
    }

    @BeforeEach
    void start() throws Exception {
        server = servers.start(root);
    }

    private String url() {
        return server.uri("/big%20file.bin").toString();
    }

    private static void requireTool(String name) {
        Tools.require(name, name.equals("aria2c") ? "aria2" : name);
    }

    /** Runs a command (see {@link Tools#run}); fails unless it exits 0 in time. */
    private void run(String... command) throws IOException, InterruptedException {
        Tools.Result result = Tools.run(downloads, command);
        assertEquals(0, result.exit(), String.join(" ", command) + " failed:\n" + result.output());
    }

    /** Only the rest of the file went over the wire, not the whole file again. */
    private void assertResumed(long sentBefore, long rest) {
        long sent = server.stats().bytesSent() - sentBefore;
        assertTrue(sent <= rest + 4096, "sent " + sent + " bytes to finish a download missing " + rest);
    }

    private static String sha(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return TestFiles.sha256(in);
        }
    }

    @Test
    void curlDownloadsTheExactFile() throws Exception {
        requireTool("curl");
        Path out = downloads.resolve("out.bin");
        run("curl", "-sS", "--fail", "--noproxy", "*", "-o", out.toString(), url());
        assertEquals(SIZE, Files.size(out));
        assertEquals(sha, sha(out));
    }

    @Test
    void curlResumesAnInterruptedDownload() throws Exception {
        requireTool("curl");
        Path out = downloads.resolve("out.bin");
        long half = SIZE / 2 + 12_345;
        run("curl", "-sS", "--fail", "--noproxy", "*", "-r", "0-" + (half - 1), "-o", out.toString(), url());
        assertEquals(half, Files.size(out), "the first part");
        long sentBefore = server.stats().bytesSent();
        run("curl", "-sS", "--fail", "--noproxy", "*", "-C", "-", "-o", out.toString(), url());
        assertEquals(SIZE, Files.size(out));
        assertEquals(sha, sha(out));
        assertResumed(sentBefore, SIZE - half);
    }

    @Test
    void wgetContinuesAPartialFile() throws Exception {
        requireTool("wget");
        Path out = downloads.resolve("big file.bin");
        long part = SIZE / 3;
        // the partial file a broken download leaves behind: the real first bytes
        try (InputStream in = Files.newInputStream(root.resolve("big file.bin"));
             OutputStream o = Files.newOutputStream(out)) {
            o.write(in.readNBytes((int) part));
        }
        long sentBefore = server.stats().bytesSent();
        run("wget", "--no-config", "-q", "--no-proxy", "-c", "-P", downloads.toString(), url());
        assertEquals(SIZE, Files.size(out));
        assertEquals(sha, sha(out));
        assertResumed(sentBefore, SIZE - part);
    }

    @Test
    void aria2cWithSixteenConnections() throws Exception {
        requireTool("aria2c");
        List<String> command = new ArrayList<>(Arrays.asList("aria2c", "-x16", "-s16", "--min-split-size=1M",
                "--allow-overwrite=true", "--no-conf", "--dir=" + downloads, "--out=aria.bin",
                "--all-proxy=", "--console-log-level=warn", "--summary-interval=0", "--file-allocation=none",
                "--auto-file-renaming=false"));
        command.add(url());
        long acceptedBefore = server.stats().accepted();
        run(command.toArray(new String[0]));
        assertTrue(server.stats().accepted() - acceptedBefore > 1, "aria2c used several connections");
        Path out = downloads.resolve("aria.bin");
        assertEquals(SIZE, Files.size(out));
        assertEquals(sha, sha(out));
        assertTrue(Files.notExists(downloads.resolve("aria.bin.aria2")), "aria2 finished its control file");
    }
}
