package amped.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amped.core.server.ServerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Directory URLs: the trailing-slash redirect, index.html, listings, and what is never served. */
@Timeout(60)
class DirectoriesIT {

    /** A row's link (the page's other links, breadcrumbs and column heads, are not entries). */
    private static final Pattern LINK = Pattern.compile("<td class=\"n\"><a href=\"([^\"]*)\">([^<]*)</a>");
    private static final String[] ODD_NAMES = {
        "a b&<c>.txt", "naïve 日本.txt", "100%.txt", "#hash?.txt", "semi;colon.txt", "javascript:alert(1).txt",
        "quote\"s'.txt", "plus+sign.txt", "back`tick.txt",
    };

    @TempDir
    Path temp;
    Path root;
    Path list;
    /** name -> content of every file created in /list/ (the ones the file system allowed). */
    Map<String, byte[]> listed = new LinkedHashMap<>();
    TestServer server;

    @RegisterExtension
    final AmpedServerExtension servers = new AmpedServerExtension();

    @BeforeEach
    void createTree() throws IOException {
        root = Files.createDirectory(temp.resolve("www"));
        Files.writeString(root.resolve("file.txt"), "just a file\n");
        Path sub = Files.createDirectory(root.resolve("sub"));
        Files.writeString(sub.resolve("index.html"), "<p>the index</p>\n");
        Files.writeString(sub.resolve("other.txt"), "other\n");
        list = Files.createDirectory(root.resolve("list"));
        int seed = 100;
        for (String name : ODD_NAMES) {
            byte[] content = TestFiles.bytes(seed++, 100 + seed);
            try {
                Files.write(list.resolve(name), content);
            } catch (InvalidPathException | IOException e) {
                continue; // the file system (or its name encoding) does not allow this one
            }
            listed.put(name, content);
        }
        Path dir = Files.createDirectory(list.resolve("d i r"));
        Files.writeString(dir.resolve("inner.txt"), "inner\n");
        Files.createDirectory(list.resolve("zz-last-dir"));
        Files.writeString(root.resolve(".secret"), "dotfile\n");
        Files.createDirectory(root.resolve(".git"));
        Files.writeString(root.resolve(".git").resolve("config"), "[core]\n");
        Files.writeString(list.resolve(".hidden-in-list"), "hidden\n");
    }

    private void start(Consumer<ServerConfig.Builder> customize) throws IOException {
        server = servers.start(root, customize);
    }

    private HttpResponse<byte[]> get(URI uri) throws Exception {
        return server.http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        return get(server.uri(path));
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static String unescapeHtml(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&amp;", "&");
    }

    /** (href, visible name) of every link in a listing page, in page order. */
    private static List<String[]> links(String html) {
        List<String[]> links = new ArrayList<>();
        Matcher m = LINK.matcher(html);
        while (m.find()) {
            links.add(new String[] {m.group(1), unescapeHtml(m.group(2))});
        }
        return links;
    }

    @Test
    void aDirectoryWithoutItsSlashIsRedirectedKeepingTheQuery() throws Exception {
        start(b -> { });
        HttpResponse<byte[]> r = get("/sub");
        assertEquals(301, r.statusCode());
        assertEquals("/sub/", r.headers().firstValue("Location").orElseThrow());
        HttpResponse<byte[]> q = get("/sub?x=1&y=2");
        assertEquals(301, q.statusCode());
        assertEquals("/sub/?x=1&y=2", q.headers().firstValue("Location").orElseThrow());
        HttpResponse<byte[]> odd = get("/list/d%20i%20r");
        assertEquals(301, odd.statusCode());
        assertEquals("/list/d%20i%20r/", odd.headers().firstValue("Location").orElseThrow());
    }

    @Test
    void aDirectoryWithIndexHtmlServesIt() throws Exception {
        start(b -> { });
        HttpResponse<byte[]> r = get("/sub/");
        assertEquals(200, r.statusCode());
        assertEquals("<p>the index</p>\n", text(r));
        assertEquals("text/html; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow());
        HttpResponse<byte[]> q = get("/sub/?v=2");
        assertEquals("<p>the index</p>\n", text(q));
    }

    @Test
    void everyLinkOfAListingLeadsToTheExactFile() throws Exception {
        start(b -> { });
        URI page = server.uri("/list/");
        HttpResponse<byte[]> r = get(page);
        assertEquals(200, r.statusCode());
        assertEquals("text/html; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow());
        String html = text(r);
        List<String[]> links = links(html);

        assertEquals("../", links.get(0)[0], "a parent link first");
        assertEquals("../", links.get(0)[1]);
        // directories first, each with a trailing slash in the link and the visible name
        assertEquals("d i r/", links.get(1)[1]);
        assertEquals("d%20i%20r/", links.get(1)[0]);
        assertEquals("zz-last-dir/", links.get(2)[1]);
        assertEquals("zz-last-dir/", links.get(2)[0]);

        TreeSet<String> seenFiles = new TreeSet<>();
        for (String[] link : links.subList(3, links.size())) {
            String href = unescapeHtml(link[0]);
            String name = link[1];
            assertFalse(name.endsWith("/"), "files after directories: " + name);
            assertTrue(listed.containsKey(name), "listed name " + name + " is a file we wrote");
            URI target = page.resolve(href);
            assertEquals(page.getAuthority(), target.getAuthority(), "href " + href + " stays on the server");
            assertTrue(target.getRawPath().startsWith("/list/"), "href " + href + " resolves to " + target);
            HttpResponse<byte[]> file = get(target);
            assertEquals(200, file.statusCode(), "GET " + target + " for " + name);
            assertArrayEquals(listed.get(name), file.body(), "bytes of " + name);
            seenFiles.add(name);
        }
        assertEquals(new TreeSet<>(listed.keySet()), seenFiles, "every file listed once");
        assertFalse(html.contains(".hidden-in-list"), "dotfiles are not listed");

        // names are escaped in the page; the raw markup never appears
        assertTrue(html.contains("a b&amp;&lt;c&gt;.txt"), "escaped name");
        assertFalse(html.contains("<c>"));
        if (listed.containsKey("quote\"s'.txt")) {
            assertTrue(html.contains("quote&quot;s&#39;.txt"));
        }
        assertFalse(html.contains("href=\"javascript:"), "a name with a colon cannot become a scheme");

        // the subdirectory's listing has its own parent link back here
        URI subPage = page.resolve(links.get(1)[0]);
        HttpResponse<byte[]> sub = get(subPage);
        assertEquals(200, sub.statusCode());
        List<String[]> subLinks = links(text(sub));
        assertEquals("../", subLinks.get(0)[0]);
        assertEquals(page, subPage.resolve(subLinks.get(0)[0]));
        assertEquals("inner.txt", subLinks.get(1)[1]);
        assertEquals("inner\n", text(get(subPage.resolve(subLinks.get(1)[0]))));
    }

    @Test
    void theRootListingHasNoParentLink() throws Exception {
        start(b -> { });
        String html = text(get("/"));
        List<String[]> links = links(html);
        assertFalse(links.stream().anyMatch(l -> l[0].equals("../")), "no ../ at the root");
        assertEquals("list/", links.get(0)[0]);
        assertEquals("sub/", links.get(1)[0]);
        assertEquals("file.txt", links.get(2)[0]);
        assertFalse(html.contains(".secret"));
        assertFalse(html.contains(".git"));
    }

    @Test
    void withListingOffADirectoryWithoutIndexIs404() throws Exception {
        start(b -> b.listing(false));
        HttpResponse<byte[]> r = get("/list/");
        assertEquals(404, r.statusCode());
        assertEquals("404 Not Found\n", text(r));
        assertEquals(404, get("/").statusCode());
        assertEquals("<p>the index</p>\n", text(get("/sub/")));
    }

    @Test
    @Timeout(120)
    void aDirectoryOfTwentyThousandEntriesIsListedInPagesWhileOtherClientsAreServed() throws Exception {
        Path big = Files.createDirectory(root.resolve("big"));
        for (int i = 0; i < 20_000; i++) {
            Files.createFile(big.resolve(String.format("entry-%05d.dat", i)));
        }
        start(b -> { });
        CompletableFuture<HttpResponse<String>> listing = server.http.sendAsync(
                HttpRequest.newBuilder(server.uri("/big/")).build(), HttpResponse.BodyHandlers.ofString());
        try (RawHttp other = new RawHttp(server.port())) {
            other.send("GET /file.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response small = other.read();
            assertEquals(200, small.status());
            assertEquals("just a file\n", small.bodyText());
        }
        HttpResponse<String> first = listing.get(60, TimeUnit.SECONDS);
        assertEquals(200, first.statusCode());
        // pages of at most 1,000 entries, chained by their next links: each entry exactly once, in order
        Pattern row = Pattern.compile("<a href=\"(entry-\\d{5}\\.dat)\">entry-\\d{5}\\.dat</a>");
        Pattern next = Pattern.compile("<a rel=\"next\" href=\"([^\"]*)\">");
        List<String> names = new ArrayList<>();
        URI at = server.uri("/big/");
        String html = first.body();
        int pages = 0;
        while (true) {
            pages++;
            int before = names.size();
            Matcher m = row.matcher(html);
            while (m.find()) {
                names.add(m.group(1));
            }
            assertTrue(names.size() - before <= 1_000, "page " + pages + " holds " + (names.size() - before));
            Matcher link = next.matcher(html);
            if (!link.find()) {
                break;
            }
            at = at.resolve(link.group(1));
            HttpResponse<byte[]> page = get(at);
            assertEquals(200, page.statusCode(), at.toString());
            html = text(page);
        }
        assertEquals(20, pages);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            expected.add(String.format("entry-%05d.dat", i));
        }
        assertEquals(expected, names);
        assertEquals(404, get("/big/?page=21").statusCode(), "no page after the last");
        assertEquals(404, get("/big/?page=0").statusCode());
    }

    @Test
    void dotfilesAreHiddenUnlessShown() throws Exception {
        start(b -> { });
        assertEquals(404, get("/.secret").statusCode());
        assertEquals(404, get("/.git/config").statusCode());
        assertEquals(404, get("/.git/").statusCode());
        assertEquals(404, get("/list/.hidden-in-list").statusCode());
        assertEquals(404, get("/%2Esecret").statusCode());
        server.awaitNothingHeld();
        server.close();

        start(b -> b.showHidden(true));
        assertEquals("dotfile\n", text(get("/.secret")));
        assertEquals("[core]\n", text(get("/.git/config")));
        assertEquals("hidden\n", text(get("/list/.hidden-in-list")));
        String html = text(get("/list/"));
        assertTrue(html.contains("href=\".hidden-in-list\""), "shown in the listing");
    }

    @Test
    void symlinksAreOnlyFollowedWhenAllowedAndNeverOutOfTheRoot() throws Exception {
        // issue 10: by default no symbolic link anywhere in the path (nginx's disable_symlinks on); with
        // --follow-symlinks links are followed, but only to what is beneath the root
        Path outside = Files.writeString(temp.resolve("outside.txt"), "outside the root\n");
        try {
            Files.createSymbolicLink(root.resolve("out-link.txt"), outside);
            Files.createSymbolicLink(root.resolve("in-link.txt"), root.resolve("file.txt"));
            Files.createSymbolicLink(root.resolve("rel-link.txt"), Path.of("sub", "other.txt"));
        } catch (UnsupportedOperationException | IOException e) {
            Assumptions.abort("symbolic links unavailable: " + e);
        }
        start(b -> { });
        HttpResponse<byte[]> refused = get("/out-link.txt");
        assertEquals(404, refused.statusCode());
        assertFalse(text(refused).contains("outside the root"));
        assertEquals(404, get("/in-link.txt").statusCode());
        assertEquals(404, get("/rel-link.txt").statusCode());
        String listing = text(get("/"));
        assertFalse(listing.contains("out-link.txt"), "not listed either");
        assertFalse(listing.contains("in-link.txt"), "not listed either");
        server.awaitNothingHeld();
        server.close();

        start(b -> b.followSymlinks(true));
        refused = get("/out-link.txt");
        assertEquals(404, refused.statusCode());
        assertFalse(text(refused).contains("outside the root"));
        assertEquals("just a file\n", text(get("/in-link.txt")));
        assertEquals("other\n", text(get("/rel-link.txt")));
        listing = text(get("/"));
        assertFalse(listing.contains("out-link.txt"));
        assertTrue(listing.contains("in-link.txt"));
    }

    @Test
    void aFifoIsRefusedAtOnceAndTheServerGoesOn() throws Exception {
        Path fifo = root.resolve("pipe");
        int rc;
        try {
            Process p = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), "mkfifo finished");
            rc = p.exitValue();
        } catch (IOException e) {
            rc = -1;
        }
        Assumptions.assumeTrue(rc == 0 && Files.exists(fifo), "mkfifo unavailable");
        start(b -> { });
        long t0 = System.nanoTime();
        HttpResponse<byte[]> r = server.http.send(HttpRequest.newBuilder(server.uri("/pipe"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(404, r.statusCode());
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5));
        assertEquals(404, server.http.send(HttpRequest.newBuilder(server.uri("/pipe"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
        assertFalse(text(get("/")).contains("pipe"), "not listed");
        assertEquals("just a file\n", text(get("/file.txt")));
    }

    @Test
    void aTrailingSlashAfterAFileIs404() throws Exception {
        start(b -> { });
        assertEquals(404, get("/file.txt/").statusCode());
        assertEquals(404, get("/sub/other.txt/").statusCode());
        assertEquals(200, get("/file.txt").statusCode());
    }
}
