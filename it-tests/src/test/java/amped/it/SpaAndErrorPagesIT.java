package amped.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * --spa (a route gets /index.html, a missing asset stays 404) and error pages (404.html at the root, or
 * --error-page): the status stays 404, HEAD gets no body, and the page is served by the same rules as any
 * file, so a hidden or linked page is never sent.
 */
@Timeout(60)
class SpaAndErrorPagesIT {

    private static final String PLAIN_404 = "404 Not Found\n";

    @TempDir
    static Path app;
    @TempDir
    static Path site;
    @TempDir
    static Path outside;
    static byte[] index;
    static byte[] notFound;
    static byte[] bigPage;

    @RegisterExtension
    final AmpedServerExtension servers = new AmpedServerExtension();

    @BeforeAll
    static void writeFiles() throws Exception {
        index = "<!doctype html><title>app</title><div id=app></div>\n".getBytes(StandardCharsets.UTF_8);
        Files.write(app.resolve("index.html"), index);
        Files.createDirectories(app.resolve("assets"));
        Files.writeString(app.resolve("assets/main.js"), "console.log(1)\n");
        notFound = "<!doctype html><title>Not here</title><p>Nothing at this address.\n".getBytes(StandardCharsets.UTF_8);
        Files.write(site.resolve("404.html"), notFound);
        Files.writeString(site.resolve("page.txt"), "a page\n");
        // larger than the cache keeps in memory: sent from the file, as a download is
        bigPage = TestFiles.bytes(9, 300_000);
        Files.createDirectories(site.resolve("errors"));
        Files.write(site.resolve("errors/big.html"), bigPage);
        Files.createDirectories(site.resolve(".private"));
        Files.writeString(site.resolve(".private/404.html"), "hidden page\n");
        Files.writeString(outside.resolve("secret.html"), "outside the root\n");
        Files.createSymbolicLink(site.resolve("errors/linked.html"), outside.resolve("secret.html"));
    }

    private static RawHttp.Response exchange(TestServer server, String method, String path, String fields) throws Exception {
        try (RawHttp c = new RawHttp(server.port())) {
            c.send(method + " " + path + " HTTP/1.1\r\nHost: x\r\n" + fields + "\r\n");
            return c.read(method.equals("HEAD"));
        }
    }

    private static RawHttp.Response get(TestServer server, String path) throws Exception {
        return exchange(server, "GET", path, "");
    }

    /**
     * A HEAD gets the status and length the GET would, and no body: the GET sent after it on the same
     * connection is read right after the HEAD's head.
     */
    private static void assertHeadAlone(TestServer server, String path, int status, long length) throws Exception {
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("HEAD " + path + " HTTP/1.1\r\nHost: x\r\n\r\nGET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response head = c.read(true);
            assertEquals(status, head.status());
            assertEquals(String.valueOf(length), head.header("Content-Length"));
            RawHttp.Response get = c.read();
            assertEquals(status, get.status());
            assertEquals(length, get.body().length);
        }
    }

    @Test
    void aRouteOfTheAppGetsItsIndexAndAMissingAssetStays404() throws Exception {
        TestServer server = servers.start(app, b -> b.spa(true));
        for (String route : new String[] {"/about", "/users/42/edit", "/deep/route/", "/settings?tab=2"}) {
            RawHttp.Response r = get(server, route);
            assertEquals(200, r.status(), route);
            assertEquals("text/html; charset=utf-8", r.header("Content-Type"));
            assertArrayEquals(index, r.body(), route);
        }
        assertEquals("console.log(1)\n", get(server, "/assets/main.js").bodyText());
        RawHttp.Response missing = get(server, "/assets/missing.js");
        assertEquals(404, missing.status());
        assertEquals(PLAIN_404, missing.bodyText());
        assertHeadAlone(server, "/about", 200, index.length);
        // it is the index itself: its validators, so the app is revalidated like the file
        String etag = get(server, "/about").header("ETag");
        assertEquals(304, exchange(server, "GET", "/other-route", "If-None-Match: " + etag + "\r\n").status());
    }

    @Test
    void withoutSpaARouteIs404() throws Exception {
        TestServer server = servers.start(app);
        assertEquals(404, get(server, "/about").status());
    }

    @Test
    void a404HtmlAtTheRootIsTheBodyOf404sWithStatus404() throws Exception {
        TestServer server = servers.start(site);
        for (String path : new String[] {"/nope", "/no/such/dir/", "/missing.js", "/.private/404.html"}) {
            RawHttp.Response r = get(server, path);
            assertEquals(404, r.status(), path);
            assertEquals("text/html; charset=utf-8", r.header("Content-Type"));
            assertArrayEquals(notFound, r.body(), path);
            assertNull(r.header("ETag"), "the page's validators would describe the page, not what was asked for");
        }
        // Range and preconditions concern what was asked for, which is not there: the page, whole, with 404
        RawHttp.Response ranged = exchange(server, "GET", "/nope", "Range: bytes=0-3\r\nIf-None-Match: *\r\n");
        assertEquals(404, ranged.status());
        assertArrayEquals(notFound, ranged.body());
        assertHeadAlone(server, "/nope", 404, notFound.length);
        assertEquals("a page\n", get(server, "/page.txt").bodyText());
    }

    @Test
    void anErrorPageGivenByPathIsSentFromDiskWhole() throws Exception {
        TestServer server = servers.start(site, b -> b.errorPage(404, "/errors/big.html").cacheMaxFile(0));
        RawHttp.Response r = get(server, "/nope");
        assertEquals(404, r.status());
        assertArrayEquals(bigPage, r.body());
    }

    @Test
    void aHiddenOrLinkedErrorPageIsNeverSent() throws Exception {
        TestServer hidden = servers.start(site, b -> b.errorPage(404, "/.private/404.html"));
        RawHttp.Response r = get(hidden, "/nope");
        assertEquals(404, r.status());
        assertEquals(PLAIN_404, r.bodyText());
        TestServer linked = servers.start(site, b -> b.errorPage(404, "/errors/linked.html"));
        RawHttp.Response l = get(linked, "/nope");
        assertEquals(404, l.status());
        assertEquals(PLAIN_404, l.bodyText());
    }

    @Test
    void withSpaAMissingAssetGetsTheErrorPage() throws Exception {
        TestServer server = servers.start(site, b -> b.spa(true));
        // no index.html in this site: a route falls through to the error page too
        RawHttp.Response route = get(server, "/about");
        assertEquals(404, route.status());
        assertArrayEquals(notFound, route.body());
        RawHttp.Response asset = get(server, "/missing.js");
        assertEquals(404, asset.status());
        assertArrayEquals(notFound, asset.body());
    }
}
