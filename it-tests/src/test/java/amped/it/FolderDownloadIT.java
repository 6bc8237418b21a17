package amped.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, item 5: {@code GET /dir/?download=zip} is a stored zip of the folder that Info-ZIP's unzip tests
 * and extracts to exactly the files a listing shows, byte for byte (SHA-256), with nested folders, UTF-8 names
 * and empty files; dotfiles, links leading outside and FIFOs are left out; {@code --no-archive} makes it 404.
 */
@Timeout(120)
class FolderDownloadIT {

    private static final int PROCESS_SECONDS = 60;

    @TempDir
    static Path temp;
    static Path root;

    @RegisterExtension
    final AmpedServerExtension servers = new AmpedServerExtension();

    @BeforeAll
    static void createTree() throws IOException, InterruptedException {
        root = Files.createDirectory(temp.resolve("www"));
        Path docs = Files.createDirectories(root.resolve("docs"));
        Random random = new Random(15);
        for (int i : new int[] {1, 2, 10, 20}) {
            Files.writeString(docs.resolve("note-" + i + ".txt"), "note " + i + "\n");
        }
        Files.write(docs.resolve("empty.bin"), new byte[0]);
        Path sub = Files.createDirectories(docs.resolve("sub/deeper"));
        byte[] big = new byte[3_000_000 + 17];
        random.nextBytes(big);
        Files.write(docs.resolve("sub/big.bin"), big);
        Files.writeString(docs.resolve("sub/naïve 日本 \"q\" & <x>.txt"), "utf-8 name\n");
        Files.writeString(sub.resolve("d.txt"), "deep\n");
        Files.createDirectories(docs.resolve("empty-folder"));
        Files.writeString(docs.resolve(".secret"), "hidden\n");
        Files.createDirectories(docs.resolve(".git"));
        Files.writeString(docs.resolve(".git/config"), "hidden too\n");
        Files.writeString(temp.resolve("outside.txt"), "outside\n");
        Files.createSymbolicLink(docs.resolve("outside-link"), temp.resolve("outside.txt"));
        new ProcessBuilder("mkfifo", docs.resolve("sub/fifo").toString()).start().waitFor(10, TimeUnit.SECONDS);
    }

    @Test
    void unzipTestsAndExtractsEveryServableFileByteForByte() throws Exception {
        requireUnzip();
        TestServer server = servers.start(root);
        Path zip = temp.resolve("docs.zip");
        HttpResponse<Path> r = server.http.send(HttpRequest.newBuilder(server.uri("/docs/?download=zip")).build(),
                HttpResponse.BodyHandlers.ofFile(zip));
        assertEquals(200, r.statusCode());
        assertEquals("application/zip", r.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("attachment; filename=\"docs.zip\"", r.headers().firstValue("Content-Disposition").orElseThrow());
        assertEquals(Files.size(zip), Long.parseLong(r.headers().firstValue("Content-Length").orElseThrow()));

        run(temp, "unzip", "-t", zip.toString());
        Path out = Files.createDirectories(temp.resolve("extracted"));
        run(temp, "unzip", "-q", zip.toString(), "-d", out.toString());

        Map<String, String> expected = new TreeMap<>(Map.of(
                "note-1.txt", "", "note-2.txt", "", "note-10.txt", "", "note-20.txt", "", "empty.bin", "",
                "sub/big.bin", "", "sub/naïve 日本 \"q\" & <x>.txt", "", "sub/deeper/d.txt", ""));
        for (String name : expected.keySet()) {
            expected.put(name, sha256(root.resolve("docs").resolve(name)));
        }
        assertEquals(expected, hashes(out.resolve("docs")));
        assertTrue(Files.isDirectory(out.resolve("docs/empty-folder")), "an empty folder is kept");
        server.awaitNothingHeld();
    }

    @Test
    void theRootFolderAndAHeadRequest() throws Exception {
        TestServer server = servers.start(root);
        HttpResponse<byte[]> get = server.http.send(HttpRequest.newBuilder(server.uri("/?download=zip")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, get.statusCode());
        assertEquals("attachment; filename=\"files.zip\"", get.headers().firstValue("Content-Disposition").orElseThrow());
        HttpResponse<Void> head = server.http.send(HttpRequest.newBuilder(server.uri("/?download=zip"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(200, head.statusCode());
        assertEquals(String.valueOf(get.body().length), head.headers().firstValue("Content-Length").orElseThrow());
        // the local header of the first member (the folder docs/): its signature, and names in UTF-8 (bit 11)
        byte[] body = get.body();
        assertEquals(List.of(0x50, 0x4b, 0x03, 0x04), List.of(body[0] & 0xFF, body[1] & 0xFF, body[2] & 0xFF,
                body[3] & 0xFF));
        assertEquals(0x08, body[7] & 0x08);
        server.awaitNothingHeld();
    }

    @Test
    void noArchiveAnswers404AndTheListingOffersNone() throws Exception {
        TestServer server = servers.start(root, b -> b.archives(false));
        HttpResponse<String> zip = server.http.send(HttpRequest.newBuilder(server.uri("/docs/?download=zip")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, zip.statusCode());
        String listing = server.http.send(HttpRequest.newBuilder(server.uri("/docs/")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertFalse(listing.contains("download=zip"), listing);

        TestServer on = servers.start(root);
        String offered = on.http.send(HttpRequest.newBuilder(on.uri("/docs/")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(offered.contains("<a href=\"?download=zip\" download>"), offered);
    }

    private static Map<String, String> hashes(Path dir) throws IOException {
        Map<String, String> hashes = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                hashes.put(dir.relativize(f).toString(), sha256(f));
            }
        }
        return hashes;
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[65536];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static void requireUnzip() {
        Assumptions.assumeTrue(Stream.of(System.getenv("PATH").split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "unzip"))), "unzip is not installed (.ci/run installs it)");
    }

    /** Runs a command with a UTF-8 locale (names are UTF-8); fails unless it exits 0 in time. */
    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Path log = Files.createTempFile(dir, "tool", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("LC_ALL", "C.UTF-8");
        Process p = pb.start();
        if (!p.waitFor(PROCESS_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not finish in " + PROCESS_SECONDS + "s");
        }
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n"
                + Files.readString(log, StandardCharsets.UTF_8));
    }
}
