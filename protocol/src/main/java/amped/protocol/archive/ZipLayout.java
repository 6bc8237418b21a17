package amped.protocol.archive;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * The exact bytes of a stored (uncompressed) zip archive around its files' contents, and its exact length,
 * known before a byte of content is read (APPNOTE 6.3.10). Each file is a local header, the file's bytes and a
 * data descriptor carrying the CRC-32 computed while they were sent (flag bit 3); then the central directory
 * and the end records. Names are UTF-8 (flag bit 11). ZIP64 fields and end records are used exactly where a
 * size, an offset or the number of entries does not fit the classic fields. Times are the extended timestamp
 * (UTC) and, for old readers, the MS-DOS fields in UTC. Pure; not thread-safe.
 */
public final class ZipLayout {

    /** One member: a file (its size is what will be sent) or a directory (a name ending in '/', no data). */
    public record Member(String name, boolean directory, long size, long modifiedMillis) {
        public Member {
            Objects.requireNonNull(name, "name");
        }
    }

    /** Where the classic 32-bit fields end (the all-ones value itself means "see ZIP64"). */
    public static final long CLASSIC_LIMIT = 0xFFFFFFFFL;
    private static final int CLASSIC_ENTRIES = 0xFFFF;
    private static final int LOCAL_HEADER = 30;
    private static final int CENTRAL_HEADER = 46;
    private static final int END = 22;
    private static final int ZIP64_END = 56;
    private static final int ZIP64_LOCATOR = 20;
    /** The extended timestamp extra field: id, length, flags, mtime. */
    private static final int TIMESTAMP_EXTRA = 9;
    private static final int FLAGS = 0x0808;
    /** Made by Unix, APPNOTE 6.3: the external attributes' high half is the mode. */
    private static final int MADE_BY = 3 << 8 | 63;

    private final List<Member> members;
    private final byte[][] names;
    private final long[] offsets;
    private final long limit;
    private final long centralOffset;
    private final long centralSize;
    private final long length;

    /** The layout of {@code members} in this order. */
    public ZipLayout(List<Member> members) {
        this(members, CLASSIC_LIMIT);
    }

    /**
     * As above, with ZIP64 used for sizes and offsets from {@code limit} on (and entry counts from
     * {@code min(limit, 65535)}): a small limit lets tests read ZIP64 structures without gigabytes.
     */
    public ZipLayout(List<Member> members, long limit) {
        this.members = List.copyOf(members);
        this.limit = limit;
        int n = this.members.size();
        names = new byte[n][];
        offsets = new long[n];
        long at = 0;
        for (int i = 0; i < n; i++) {
            Member m = this.members.get(i);
            names[i] = m.name().getBytes(StandardCharsets.UTF_8);
            if (names[i].length > 0xFFFF) {
                throw new IllegalArgumentException("a zip entry name has at most 65535 bytes");
            }
            offsets[i] = at;
            at += localHeaderLength(i) + (m.directory() ? 0 : m.size() + descriptorLength(i));
        }
        centralOffset = at;
        long central = 0;
        for (int i = 0; i < n; i++) {
            central += CENTRAL_HEADER + names[i].length + TIMESTAMP_EXTRA + centralZip64Length(i);
        }
        centralSize = central;
        length = centralOffset + centralSize + endLength();
    }

    public int size() {
        return members.size();
    }

    public Member member(int i) {
        return members.get(i);
    }

    /** The whole archive's length in bytes. */
    public long length() {
        return length;
    }

    private boolean bigSize(int i) {
        return members.get(i).size() >= limit;
    }

    private int localHeaderLength(int i) {
        return LOCAL_HEADER + names[i].length + TIMESTAMP_EXTRA + (bigSize(i) ? 20 : 0);
    }

    private int descriptorLength(int i) {
        return bigSize(i) ? 24 : 16;
    }

    private int centralZip64Length(int i) {
        int fields = (bigSize(i) ? 2 : 0) + (offsets[i] >= limit ? 1 : 0);
        return fields == 0 ? 0 : 4 + 8 * fields;
    }

    private boolean zip64End() {
        return members.size() >= Math.min(limit, CLASSIC_ENTRIES) || centralOffset >= limit || centralSize >= limit;
    }

    private int endLength() {
        return END + (zip64End() ? ZIP64_END + ZIP64_LOCATOR : 0);
    }

    /** The local header of member {@code i}: its CRC left 0, to come in its data descriptor. */
    public byte[] localHeader(int i) {
        Member m = members.get(i);
        boolean big = bigSize(i);
        ByteBuffer b = buffer(localHeaderLength(i));
        b.putInt(0x04034b50).putShort((short) (big ? 45 : 20)).putShort((short) flags(m)).putShort((short) 0);
        putDosTime(b, m.modifiedMillis());
        long size = m.directory() ? 0 : m.size();
        b.putInt(0).putInt(big ? -1 : (int) size).putInt(big ? -1 : (int) size);
        b.putShort((short) names[i].length).putShort((short) (TIMESTAMP_EXTRA + (big ? 20 : 0)));
        b.put(names[i]);
        putTimestamp(b, m.modifiedMillis());
        if (big) {
            b.putShort((short) 1).putShort((short) 16).putLong(size).putLong(size);
        }
        return b.array();
    }

    /** The data descriptor that follows member {@code i}'s bytes (files only). */
    public byte[] dataDescriptor(int i, int crc) {
        long size = members.get(i).size();
        ByteBuffer b = buffer(descriptorLength(i));
        b.putInt(0x08074b50).putInt(crc);
        if (bigSize(i)) {
            b.putLong(size).putLong(size);
        } else {
            b.putInt((int) size).putInt((int) size);
        }
        return b.array();
    }

    /** Member {@code i}'s central directory header. */
    public byte[] centralHeader(int i, int crc) {
        Member m = members.get(i);
        boolean big = bigSize(i);
        boolean farOffset = offsets[i] >= limit;
        int zip64 = centralZip64Length(i);
        long size = m.directory() ? 0 : m.size();
        ByteBuffer b = buffer(CENTRAL_HEADER + names[i].length + TIMESTAMP_EXTRA + zip64);
        b.putInt(0x02014b50).putShort((short) MADE_BY).putShort((short) (zip64 > 0 ? 45 : 20))
                .putShort((short) flags(m)).putShort((short) 0);
        putDosTime(b, m.modifiedMillis());
        b.putInt(m.directory() ? 0 : crc).putInt(big ? -1 : (int) size).putInt(big ? -1 : (int) size);
        b.putShort((short) names[i].length).putShort((short) (TIMESTAMP_EXTRA + zip64)).putShort((short) 0);
        // disk 0, no internal attributes; external: the Unix mode above, MS-DOS's directory bit below
        int mode = m.directory() ? 040755 : 0100644;
        b.putShort((short) 0).putShort((short) 0).putInt(mode << 16 | (m.directory() ? 0x10 : 0));
        b.putInt(farOffset ? -1 : (int) offsets[i]);
        b.put(names[i]);
        putTimestamp(b, m.modifiedMillis());
        if (zip64 > 0) {
            b.putShort((short) 1).putShort((short) (zip64 - 4));
            if (big) {
                b.putLong(size).putLong(size);
            }
            if (farOffset) {
                b.putLong(offsets[i]);
            }
        }
        return b.array();
    }

    /** What follows the central directory: the ZIP64 end record and locator when needed, then the end record. */
    public byte[] end() {
        boolean zip64 = zip64End();
        ByteBuffer b = buffer(endLength());
        int n = members.size();
        if (zip64) {
            b.putInt(0x06064b50).putLong(ZIP64_END - 12).putShort((short) MADE_BY).putShort((short) 45)
                    .putInt(0).putInt(0).putLong(n).putLong(n).putLong(centralSize).putLong(centralOffset);
            b.putInt(0x07064b50).putInt(0).putLong(centralOffset + centralSize).putInt(1);
        }
        b.putInt(0x06054b50).putShort((short) 0).putShort((short) 0);
        short entries = (short) (zip64 ? 0xFFFF : n);
        b.putShort(entries).putShort(entries);
        b.putInt(zip64 ? -1 : (int) centralSize).putInt(zip64 ? -1 : (int) centralOffset).putShort((short) 0);
        return b.array();
    }

    private static int flags(Member m) {
        // a directory has no data, hence no descriptor
        return m.directory() ? FLAGS & ~0x08 : FLAGS;
    }

    private static ByteBuffer buffer(int length) {
        return ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** MS-DOS date and time, UTC, clamped to 1980..2107, two-second steps. */
    private static void putDosTime(ByteBuffer b, long millis) {
        java.time.LocalDateTime t = java.time.LocalDateTime.ofEpochSecond(
                Math.floorDiv(Math.max(millis, 315_532_800_000L), 1000), 0, java.time.ZoneOffset.UTC);
        if (t.getYear() > 2107) {
            t = java.time.LocalDateTime.of(2107, 12, 31, 23, 59, 58);
        }
        int time = t.getHour() << 11 | t.getMinute() << 5 | t.getSecond() / 2;
        int date = (t.getYear() - 1980) << 9 | t.getMonthValue() << 5 | t.getDayOfMonth();
        b.putShort((short) time).putShort((short) date);
    }

    /** The extended timestamp extra field (0x5455) with the modification time, seconds since 1970 (UTC). */
    private static void putTimestamp(ByteBuffer b, long millis) {
        long seconds = Math.clamp(Math.floorDiv(millis, 1000), Integer.MIN_VALUE, Integer.MAX_VALUE);
        b.putShort((short) 0x5455).putShort((short) 5).put((byte) 1).putInt((int) seconds);
    }
}
