package amped.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amped.core.auth.Credential;
import amped.core.auth.Htpasswd;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Basic authentication as clients meet it: curl -u against --auth and against a file written by Apache's
 * htpasswd -B (apache2-utils, which .ci/run installs), the 401 and its challenge, keep-alive, and the status
 * endpoints' own rule (health never asks, the page and metrics do).
 */
@Timeout(120)
class AuthIT {

    private static final long SIZE = 3L * 1024 * 1024 + 17;

    @TempDir
    static Path root;
    static String sha;
    @TempDir
    Path home;

    @RegisterExtension
    final AmpedServerExtension servers = new AmpedServerExtension();

    @BeforeAll
    static void writeFiles() throws Exception {
        sha = TestFiles.write(root.resolve("report.bin"), SIZE, 7);
        Files.writeString(root.resolve("hello.txt"), "hello\n");
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static RawHttp.Response get(TestServer server, String method, String path, String authorization)
            throws Exception {
        try (RawHttp c = new RawHttp(server.port())) {
            c.send(method + " " + path + " HTTP/1.1\r\nHost: x\r\n"
                    + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "\r\n");
            return c.read(method.equals("HEAD"));
        }
    }

    private Tools.Result curl(TestServer server, String... args) throws Exception {
        Tools.require("curl", "curl");
        String[] command = new String[args.length + 4];
        command[0] = "curl";
        command[1] = "-sS";
        command[2] = "--noproxy";
        command[3] = "*";
        System.arraycopy(args, 0, command, 4, args.length);
        return Tools.run(home, command);
    }

    private static String sha(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return TestFiles.sha256(in);
        }
    }

    @Test
    void curlWithTheUserDownloadsTheFileAndWithoutItGets401() throws Exception {
        TestServer server = servers.start(root, b -> b.auth("alice", "open: sesame").auth("bob", "other"));
        Path out = home.resolve("out.bin");
        Tools.Result ok = curl(server, "--fail", "-u", "alice:open: sesame", "-o", out.toString(),
                server.uri("/report.bin").toString());
        assertEquals(0, ok.exit(), ok.output());
        assertEquals(sha, sha(out));
        Tools.Result none = curl(server, "-o", "/dev/null", "-w", "%{http_code}", server.uri("/report.bin").toString());
        assertEquals("401", none.output().strip());
        Tools.Result wrong = curl(server, "-u", "alice:open sesame", "-o", "/dev/null", "-w", "%{http_code}",
                server.uri("/report.bin").toString());
        assertEquals("401", wrong.output().strip());
    }

    @Test
    void theRefusalCarriesTheChallengeAndNothingOfTheFile() throws Exception {
        TestServer server = servers.start(root, b -> b.auth("alice", "pw"));
        for (String authorization : new String[] {null, "Basic !!!", "Bearer abc", basic("alice", "PW"), basic("mallory", "pw")}) {
            RawHttp.Response r = get(server, "GET", "/hello.txt", authorization);
            assertEquals(401, r.status(), authorization);
            assertEquals("Basic realm=\"amped\", charset=\"UTF-8\"", r.header("WWW-Authenticate"));
            assertEquals("401 Unauthorized\n", r.bodyText());
            assertNull(r.header("ETag"), "nothing about the file");
        }
        RawHttp.Response head = get(server, "HEAD", "/hello.txt", null);
        assertEquals(401, head.status());
        assertEquals(200, get(server, "GET", "/hello.txt", basic("alice", "pw")).status());
        // a path that does not exist asks for credentials too: what exists is not told to strangers
        assertEquals(401, get(server, "GET", "/nope", null).status());
        assertEquals(404, get(server, "GET", "/nope", basic("alice", "pw")).status());
    }

    @Test
    void aFileWrittenByHtpasswdBLetsItsUsersIn() throws Exception {
        Tools.require("htpasswd", "apache2-utils");
        Path file = home.resolve("users");
        assertEquals(0, Tools.run(home, "htpasswd", "-c", "-B", "-b", file.toString(), "carol", "pässwörd").exit());
        assertEquals(0, Tools.run(home, "htpasswd", "-B", "-C", "10", "-b", file.toString(), "dave", "x:y z").exit());
        assertTrue(Files.readString(file).contains("carol:$2y$"), Files.readString(file));
        List<Credential> users = Htpasswd.parse(Files.readAllLines(file));
        TestServer server = servers.start(root, b -> b.credentials(users));
        Path out = home.resolve("out.bin");
        Tools.Result carol = curl(server, "--fail", "-u", "carol:pässwörd", "-o", out.toString(), server.uri("/report.bin").toString());
        assertEquals(0, carol.exit(), carol.output());
        assertEquals(sha, sha(out));
        Tools.Result dave = curl(server, "--fail", "-u", "dave:x:y z", server.uri("/hello.txt").toString());
        assertEquals("hello\n", dave.output());
        Tools.Result wrong = curl(server, "-u", "dave:x:y", "-o", "/dev/null", "-w", "%{http_code}", server.uri("/hello.txt").toString());
        assertEquals("401", wrong.output().strip());
    }

    @Test
    void keepAliveRequestsAreAnsweredInOrderOnOneConnection() throws Exception {
        Tools.require("htpasswd", "apache2-utils");
        Path file = home.resolve("users");
        assertEquals(0, Tools.run(home, "htpasswd", "-c", "-B", "-b", file.toString(), "erin", "s3cret").exit());
        List<Credential> users = Htpasswd.parse(Files.readAllLines(file));
        TestServer server = servers.start(root, b -> b.credentials(users));
        try (RawHttp c = new RawHttp(server.port())) {
            String ok = "GET /hello.txt HTTP/1.1\r\nHost: x\r\nAuthorization: " + basic("erin", "s3cret") + "\r\n\r\n";
            String bad = "GET /hello.txt HTTP/1.1\r\nHost: x\r\nAuthorization: " + basic("erin", "s3cre") + "\r\n\r\n";
            // pipelined: the verdicts come from a hasher thread, the answers still in order
            c.send(ok + bad + ok + ok);
            for (int expected : new int[] {200, 401, 200, 200}) {
                RawHttp.Response r = c.read();
                assertEquals(expected, r.status());
                assertEquals(expected == 200 ? "hello\n" : "401 Unauthorized\n", r.bodyText());
            }
        }
    }

    @Test
    void healthNeverAsksForCredentialsThePageAndMetricsDo() throws Exception {
        TestServer server = servers.start(root, b -> b.auth("ops", "pw").statusPath("/-/status"));
        assertEquals(200, get(server, "GET", "/-/status/health", null).status());
        assertEquals(401, get(server, "GET", "/-/status/metrics", null).status());
        assertEquals(401, get(server, "GET", "/-/status/", null).status());
        RawHttp.Response metrics = get(server, "GET", "/-/status/metrics", basic("ops", "pw"));
        assertEquals(200, metrics.status());
        assertTrue(metrics.bodyText().contains("amped_requests_total"), metrics.bodyText());
    }
}
