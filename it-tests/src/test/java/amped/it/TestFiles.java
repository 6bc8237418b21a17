package amped.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Files of pseudo-random content, written fast, with their SHA-256 known. */
final class TestFiles {

    private TestFiles() {
    }

    /** Writes {@code size} bytes that never repeat a block, and returns their SHA-256 in hex. */
    static String write(Path file, long size, long seed) throws IOException {
        MessageDigest sha = sha256();
        SplittableRandom random = new SplittableRandom(seed);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            long left = size;
            while (left > 0) {
                for (int i = 0; i < block.length; i += 8) {
                    long r = random.nextLong();
                    for (int k = 0; k < 8; k++) {
                        block[i + k] = (byte) (r >>> (8 * k));
                    }
                }
                int n = (int) Math.min(block.length, left);
                out.write(block, 0, n);
                sha.update(block, 0, n);
                left -= n;
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** A program's output file as text for a failure message, or why it could not be read. */
    static String readForMessage(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    static byte[] bytes(long seed, int size) {
        byte[] b = new byte[size];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    /** Reads a stream to its end and returns the SHA-256 of what it gave, and closes it. */
    static String sha256(InputStream in) throws IOException {
        MessageDigest sha = sha256();
        try (DigestInputStream digesting = new DigestInputStream(in, sha)) {
            digesting.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Drops the file's clean pages from the page cache (GNU dd's nocache flag: posix_fadvise DONTNEED); the
     * test is skipped where that cannot be done.
     */
    static void evictFromPageCache(Path file) throws IOException, InterruptedException {
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
            c.force(true); // only clean pages can be dropped
        }
        Process dd = new ProcessBuilder(List.of("dd", "if=" + file, "iflag=nocache", "count=0", "status=none"))
                .redirectErrorStream(true).start();
        Assumptions.assumeTrue(dd.waitFor(30, TimeUnit.SECONDS) && dd.exitValue() == 0,
                "dd cannot drop the page cache here");
    }
}
