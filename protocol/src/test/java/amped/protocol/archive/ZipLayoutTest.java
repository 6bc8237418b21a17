package amped.protocol.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Archives laid out by {@link ZipLayout}, with real contents, read back by the JDK's own zip reader. */
class ZipLayoutTest {

    private static final long T = 1_700_000_000_000L;

    @TempDir
    Path dir;

    /** Classic (4 GiB) limits, and a limit of 16 bytes that puts every large-enough field in ZIP64 structures. */
    @ParameterizedTest
    @ValueSource(longs = {ZipLayout.CLASSIC_LIMIT, 16, 0})
    void theJdkReadsEveryMemberBackByteForByte(long limit) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        files.put("top/a.txt", "hello\n".getBytes(StandardCharsets.UTF_8));
        files.put("top/empty", new byte[0]);
        files.put("top/sub/naïve 日本 \"q\".bin", bytes(100_000, 7));
        files.put("top/sub/x", bytes(17, 3));
        List<ZipLayout.Member> members = new ArrayList<>();
        members.add(new ZipLayout.Member("top/", true, 0, T));
        members.add(new ZipLayout.Member("top/sub/", true, 0, T));
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            members.add(new ZipLayout.Member(f.getKey(), false, f.getValue().length, T));
        }
        Path zip = dir.resolve("t.zip");
        byte[] archive = write(new ZipLayout(members, limit), files);
        assertEquals(new ZipLayout(members, limit).length(), archive.length);
        Files.write(zip, archive);

        try (ZipFile read = new ZipFile(zip.toFile(), StandardCharsets.UTF_8)) {
            assertEquals(members.size(), read.size());
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                ZipEntry e = read.getEntry(f.getKey());
                assertEquals(ZipEntry.STORED, e.getMethod());
                assertEquals(f.getValue().length, e.getSize());
                assertEquals(T / 1000, e.getLastModifiedTime().toMillis() / 1000);
                try (InputStream in = read.getInputStream(e)) {
                    assertArrayEquals(f.getValue(), in.readAllBytes(), f.getKey());
                }
            }
            assertTrue(read.getEntry("top/sub/").isDirectory());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 65_534, 65_535, 65_536})
    void entryCountsAroundTheClassicLimitAreRead(int count) throws IOException {
        List<ZipLayout.Member> members = new ArrayList<>(Collections.nCopies(0, null));
        Map<String, byte[]> files = new HashMap<>();
        for (int i = 0; i < count; i++) {
            String name = "f" + i;
            members.add(new ZipLayout.Member(name, false, 0, T));
            files.put(name, new byte[0]);
        }
        Path zip = dir.resolve("n.zip");
        Files.write(zip, write(new ZipLayout(members), files));
        try (ZipFile read = new ZipFile(zip.toFile())) {
            assertEquals(count, read.size());
        }
    }

    /** What the server sends: each header, the bytes, the descriptor with their CRC; then the directory. */
    static byte[] write(ZipLayout layout, Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int[] crcs = new int[layout.size()];
        for (int i = 0; i < layout.size(); i++) {
            ZipLayout.Member m = layout.member(i);
            out.write(layout.localHeader(i));
            if (!m.directory()) {
                byte[] content = files.get(m.name());
                CRC32 crc = new CRC32();
                crc.update(content);
                crcs[i] = (int) crc.getValue();
                out.write(content);
                out.write(layout.dataDescriptor(i, crcs[i]));
            }
        }
        for (int i = 0; i < layout.size(); i++) {
            out.write(layout.centralHeader(i, crcs[i]));
        }
        out.write(layout.end());
        return out.toByteArray();
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }
}
