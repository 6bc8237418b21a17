package amped.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amped.fileio.FileInfo;
import amped.fileio.MappedFile;
import amped.protocol.conditional.EntityTag;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCacheTest {

    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    private Resolved.Files mappedFile(String name, int size) throws IOException {
        Path p = Files.write(dir.resolve(name), new byte[size]);
        MappedFile m = MappedFile.map(p);
        FileInfo info = new FileInfo(FileInfo.Kind.REGULAR, size, 1, 1);
        return new Resolved.Files("application/octet-stream",
                new Resolved.Variant(p, info, EntityTag.strong("x"), null, m), null, null);
    }

    @Test
    void entriesAreFreshForASecondThenOneRequestRevalidatesWhileOthersAreServedTheOldOne() {
        FileCache cache = new FileCache(1 << 20);
        Resolved r = new Resolved.Refused(404);
        assertNull(cache.get("/a", 0));
        cache.put("/a", r, 0);
        assertSame(r, cache.get("/a", SECOND / 2));
        assertNull(cache.get("/a", 2 * SECOND), "stale: this request revalidates");
        assertSame(r, cache.get("/a", 2 * SECOND + 1), "meanwhile the others are served from the entry");
        assertNull(cache.get("/a", 2 * SECOND + FileCache.REVALIDATION_PATIENCE_NANOS), "a lost revalidation is retried");
        assertEquals(2, cache.hits());
    }

    @Test
    void oneLookupPerPathIsTheCaches() {
        FileCache cache = new FileCache(1 << 20);
        assertTrue(cache.claim("/a"));
        assertFalse(cache.claim("/a"));
        assertTrue(cache.claim("/b"));
        cache.release("/a");
        assertTrue(cache.claim("/a"));
        assertFalse(new FileCache(0).claim("/a"), "no cache, no keeping");
    }

    @Test
    void theCacheHoldsMappingsAndLetsGoWhenEntriesGo() throws IOException {
        FileCache cache = new FileCache(1 << 20);
        Resolved.Files first = mappedFile("one.bin", 100_000);
        cache.put("/one", first, 0);
        first.dropUnheld();
        assertFalse(first.identity().mapped().isUnmapped(), "held by the cache");
        Resolved.Files second = mappedFile("one-again.bin", 100_000);
        cache.put("/one", second, SECOND);
        assertTrue(first.identity().mapped().isUnmapped(), "the replaced entry let go");
        cache.forget("/one");
        assertTrue(second.identity().mapped().isUnmapped(), "the forgotten entry let go");
        assertEquals(0, cache.bytes());
    }

    @Test
    void theBudgetEvictsTheLeastRecentlyUsedAndAListingRemovesTheOldEntry() throws IOException {
        FileCache cache = new FileCache(250_000 + 3 * FileCache.ENTRY_OVERHEAD);
        Resolved.Files a = mappedFile("a.bin", 100_000);
        Resolved.Files b = mappedFile("b.bin", 100_000);
        Resolved.Files c = mappedFile("c.bin", 100_000);
        cache.put("/a", a, 0);
        cache.put("/b", b, 0);
        cache.get("/a", 1); // a is now more recent than b
        cache.put("/c", c, 0);
        assertEquals(2, cache.size());
        assertTrue(b.identity().mapped().isUnmapped(), "b, least recently used, went");
        assertFalse(a.identity().mapped().isUnmapped());
        cache.put("/a", new Resolved.Listing(null), 0);
        assertNull(cache.peek("/a"), "an index.html that became a listing is not served on");
        assertTrue(a.identity().mapped().isUnmapped());
    }

    @Test
    void theSweepDropsEntriesNobodyAskedForInAMinute() throws IOException {
        FileCache cache = new FileCache(1 << 20);
        Resolved.Files old = mappedFile("old.bin", 10_000);
        cache.put("/old", old, 0);
        cache.put("/recent", new Resolved.Refused(404), 0);
        cache.get("/recent", FileCache.IDLE_NANOS - SECOND);
        cache.sweep(FileCache.IDLE_NANOS + 1);
        assertNull(cache.peek("/old"));
        assertTrue(old.identity().mapped().isUnmapped(), "a deleted file's mapping does not linger");
        assertEquals(1, cache.size());
    }
}
