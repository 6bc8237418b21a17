package amped.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances over two copies of a tree, as behind a load balancer: a download begun on one and cut
 * resumes on the other with {@code Range} and {@code If-Range}, because the validators depend only on what
 * a copy keeps (size and modification time), never on the inode.
 */
@Timeout(60)
class CrossInstanceResumeIT {

    private static final long SIZE = 8L * 1024 * 1024 + 321;

    @TempDir
    Path work;
    Path original;
    String sha;

    @RegisterExtension
    final AmpedServerExtension servers = new AmpedServerExtension();

    @BeforeEach
    void writeTree() throws Exception {
        original = Files.createDirectories(work.resolve("a"));
        Path files = Files.createDirectories(original.resolve("files"));
        sha = TestFiles.write(files.resolve("image.iso"), SIZE, 16);
        Files.write(files.resolve("notes.txt"), TestFiles.bytes(17, 4000));
        Files.write(files.resolve("notes.txt.gz"), TestFiles.bytes(18, 1500));
        // whole seconds, well in the past: the date is a strong validator, and a copy keeps it exactly
        Instant modified = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        for (String name : List.of("image.iso", "notes.txt", "notes.txt.gz")) {
            Files.setLastModifiedTime(files.resolve(name), FileTime.from(modified));
        }
    }

    /** {@code cp -r} of the tree, with {@code -p} (times kept) or without; the copy's root. */
    private Path copy(String name, boolean keepTimes) throws Exception {
        Path to = work.resolve(name);
        Process cp = new ProcessBuilder(keepTimes ? List.of("cp", "-rp", original.toString(), to.toString())
                : List.of("cp", "-r", original.toString(), to.toString())).inheritIO().start();
        assertTrue(cp.waitFor(30, TimeUnit.SECONDS) && cp.exitValue() == 0, "cp");
        return to;
    }

    private static Object inode(Path p) throws Exception {
        return Files.getAttribute(p, "unix:ino");
    }

    /** The first {@code n} bytes of a whole-file GET, then the connection dropped: a cut download. */
    private static HttpResponse<InputStream> begin(TestServer s, MessageDigest digest, int n) throws Exception {
        HttpResponse<InputStream> r = s.http.send(HttpRequest.newBuilder(s.uri("/files/image.iso")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        try (InputStream in = r.body()) {
            byte[] first = in.readNBytes(n);
            assertEquals(n, first.length);
            digest.update(first);
        }
        return r;
    }

    private static HttpResponse<byte[]> rest(TestServer s, long from, String ifRange) throws Exception {
        return s.http.send(HttpRequest.newBuilder(s.uri("/files/image.iso"))
                .header("Range", "bytes=" + from + "-").header("If-Range", ifRange).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aDownloadCutOnOneInstanceResumesOnAnotherWithIfRange() throws Exception {
        Path copy = copy("b", true);
        assertNotEquals(inode(original.resolve("files/image.iso")), inode(copy.resolve("files/image.iso")),
                "two copies, two inodes");
        TestServer one = servers.start(original);
        TestServer two = servers.start(copy);

        for (String validator : List.of("ETag", "Last-Modified")) {
            MessageDigest digest = TestFiles.sha256();
            int cut = 3 * 1024 * 1024 + 77;
            HttpResponse<InputStream> first = begin(one, digest, cut);
            String ifRange = first.headers().firstValue(validator).orElseThrow();

            HttpResponse<byte[]> r = rest(two, cut, ifRange);
            assertEquals(206, r.statusCode(), "resumed by " + validator);
            assertEquals("bytes " + cut + "-" + (SIZE - 1) + "/" + SIZE, r.headers().firstValue("Content-Range").orElseThrow());
            assertEquals(first.headers().firstValue("ETag"), r.headers().firstValue("ETag"), "one tag on both");
            digest.update(r.body());
            assertEquals(sha, HexFormat.of().formatHex(digest.digest()), "the joined parts are the file");
        }
    }

    @Test
    void everyRepresentationHasTheSameTagOnBothAndNoInodeInIt() throws Exception {
        TestServer one = servers.start(original);
        TestServer two = servers.start(copy("b", true));
        for (String encoding : List.of("identity", "gzip")) {
            String[] tags = new String[2];
            int i = 0;
            for (TestServer s : List.of(one, two)) {
                HttpResponse<byte[]> r = s.http.send(HttpRequest.newBuilder(s.uri("/files/notes.txt"))
                        .header("Accept-Encoding", encoding).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, r.statusCode());
                tags[i++] = r.headers().firstValue("ETag").orElseThrow();
                String inode = Long.toHexString(((Number) inode(s.root.resolve("files/notes.txt"))).longValue());
                assertFalse(tags[i - 1].contains(inode), tags[i - 1] + " shows the inode " + inode);
            }
            assertEquals(tags[0], tags[1], encoding);
        }
    }

    @Test
    void aCopyThatLostItsTimesIsAnotherVersionAndTheResumeGetsTheWholeFile() throws Exception {
        Path copy = copy("c", false);
        Files.setLastModifiedTime(copy.resolve("files/image.iso"), FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        TestServer one = servers.start(original);
        TestServer two = servers.start(copy);

        MessageDigest digest = TestFiles.sha256();
        HttpResponse<InputStream> first = begin(one, digest, 1024 * 1024);
        HttpResponse<byte[]> r = rest(two, 1024 * 1024, first.headers().firstValue("ETag").orElseThrow());
        // the validator does not match: never a splice of two versions, the whole file instead
        assertEquals(200, r.statusCode());
        assertEquals(SIZE, r.body().length);
        assertEquals(sha, TestFiles.sha256(r.body()));
    }
}
