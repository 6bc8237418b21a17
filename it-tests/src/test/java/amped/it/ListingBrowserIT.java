package amped.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, item 4, in a real browser (headless Chromium): the column heads sort by size, time and name
 * (plain links), names in natural order, the filter box comes alive under the page's Content-Security-Policy
 * (its script allowed by hash) and filters rows, and the page follows the reader's light or dark preference.
 * Screenshots (light desktop, dark phone) go to {@code target/screenshots} for a person to look at.
 */
@Timeout(120)
class ListingBrowserIT {

    private static final String NAMES = "[...document.querySelectorAll('tbody tr:not(.up)')]"
            + ".filter(r => !r.hidden).map(r => r.querySelector('a').textContent).join('|')";

    @TempDir
    static Path temp;
    static Path root;

    @RegisterExtension
    final AmpedServerExtension servers = new AmpedServerExtension();

    @BeforeAll
    static void createTree() throws IOException {
        root = Files.createDirectory(temp.resolve("www"));
        Path docs = Files.createDirectories(root.resolve("docs"));
        Files.createDirectories(docs.resolve("photos"));
        Files.createDirectories(docs.resolve("archive"));
        String[] names = {"note-10.txt", "note-2.txt", "note-1.txt", "report.pdf", "Video.mp4"};
        int[] sizes = {300, 20, 4000, 150_000, 2_500_000};
        for (int i = 0; i < names.length; i++) {
            Path f = docs.resolve(names[i]);
            Files.write(f, new byte[sizes[i]]);
            // report.pdf newest, then the notes, Video.mp4 oldest
            Files.setLastModifiedTime(f, FileTime.from(Instant.parse("2026-11-0" + (i + 1) + "T10:00:00Z")));
        }
        Files.setLastModifiedTime(docs.resolve("report.pdf"), FileTime.from(Instant.parse("2026-11-30T08:00:00Z")));
        Files.setLastModifiedTime(docs.resolve("Video.mp4"), FileTime.from(Instant.parse("2026-10-01T08:00:00Z")));
    }

    @Test
    void sortingFilteringAndColourSchemesInChromium() throws Exception {
        Assumptions.assumeTrue(Chromium.installed(), "chromium is not installed (.ci/run installs chromium)");
        TestServer server = servers.start(root);
        try (Chromium browser = new Chromium(Files.createDirectory(temp.resolve("profile")))) {
            browser.open(server.uri("/docs/"));
            assertEquals("archive/|photos/|note-1.txt|note-2.txt|note-10.txt|report.pdf|Video.mp4", browser.eval(NAMES));
            assertEquals("2 folders, 5 files", browser.eval("document.querySelector('.bar span').textContent"));

            // a click on "Size" sorts largest first, a second smallest first: plain links
            browser.eval("document.querySelector('th.s a').click(), ''");
            browser.awaitLoaded(server.uri("/docs/?sort=size&order=desc").toString());
            assertEquals("photos/|archive/|Video.mp4|report.pdf|note-1.txt|note-10.txt|note-2.txt", browser.eval(NAMES));
            browser.eval("document.querySelector('th.s a').click(), ''");
            browser.awaitLoaded(server.uri("/docs/?sort=size&order=asc").toString());
            assertEquals("archive/|photos/|note-2.txt|note-10.txt|note-1.txt|report.pdf|Video.mp4", browser.eval(NAMES));
            browser.eval("document.querySelector('th.m a').click(), ''");
            browser.awaitLoaded(server.uri("/docs/?sort=time&order=desc").toString());
            assertTrue(browser.eval(NAMES).endsWith("report.pdf|note-1.txt|note-2.txt|note-10.txt|Video.mp4"),
                    browser.eval(NAMES));

            // the script ran (CSP allowed it by hash) and shows the box; typing filters the rows
            browser.open(server.uri("/docs/"));
            assertEquals("false", browser.eval("String(document.getElementById('filter').hidden)"));
            browser.eval("(() => { const f = document.getElementById('filter'); f.value = 'NOTE';"
                    + " f.dispatchEvent(new Event('input')); return ''; })()");
            assertEquals("note-1.txt|note-2.txt|note-10.txt", browser.eval(NAMES));
            assertEquals("3 shown", browser.eval("document.getElementById('shown').textContent"));

            browser.emulate(1000, 600, false, "light");
            browser.open(server.uri("/docs/"));
            String light = browser.eval("getComputedStyle(document.body).backgroundColor");
            assertEquals("rgb(255, 255, 255)", light);
            browser.screenshot(Path.of("target/screenshots/listing-light-desktop.png"));
            browser.emulate(390, 760, true, "dark");
            browser.open(server.uri("/docs/"));
            String dark = browser.eval("getComputedStyle(document.body).backgroundColor");
            assertNotEquals(light, dark);
            // readable on a phone: nothing wider than the screen
            assertEquals("true", browser.eval("String(document.documentElement.scrollWidth <= 390)"));
            browser.screenshot(Path.of("target/screenshots/listing-dark-phone.png"));
        }
    }
}
