package amped.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amped.core.auth.Credential;
import amped.core.server.AmpedServer;
import amped.core.server.ServerConfig;
import amped.protocol.ConfiguredField;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --auth, --auth-file, --header, --cors, --spa and --error-page: parsed, from the environment too, and refused in one line. */
class AccessOptionsTest {

    /** Written by {@code htpasswd -nbB -C 4 alice 'wonder land'}. */
    private static final String ALICE = "alice:$2y$04$RbphZP4PMb0zeTIE.01IpOHYK/XrA2yHqOjmfCkJzHhAnu.SFwUma";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void files() throws Exception {
        Files.createDirectories(dir.resolve("errors"));
        Files.writeString(dir.resolve("errors/404.html"), "<p>gone</p>");
        Files.createDirectories(dir.resolve(".hidden"));
        Files.writeString(dir.resolve(".hidden/404.html"), "<p>gone</p>");
    }

    private PrintStream stream(ByteArrayOutputStream to) {
        return new PrintStream(to, true, StandardCharsets.UTF_8);
    }

    private ServerConfig config(Map<String, String> env, String... args) {
        Main.Launch launch = Main.prepare(args(args), env, stream(out), stream(err), false);
        assertEquals(-1, launch.exitCode, err.toString(StandardCharsets.UTF_8));
        return launch.config;
    }

    private String[] args(String... args) {
        List<String> all = new ArrayList<>(List.of(dir.toString()));
        all.addAll(List.of(args));
        return all.toArray(new String[0]);
    }

    /** What a start (through --check, which runs the same checks) prints on stderr, and its exit code. */
    private String refusal(String... args) {
        err.reset();
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--check");
        int code = Main.run(args(all.toArray(new String[0])), Map.of(), stream(out), stream(err));
        String e = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, code, e);
        assertTrue(e.startsWith("amped: "), e);
        assertEquals(1, e.lines().count(), e);
        assertFalse(e.matches("(?s).*\\b(java|javax|picocli|amped)\\.[a-z].*") || e.contains("Exception"), e);
        return e.strip();
    }

    @Test
    void everyOptionIsParsed() throws Exception {
        Path users = Files.writeString(dir.resolve("users"), ALICE + "\n");
        ServerConfig c = config(Map.of(), "--auth", "bob:pass:word", "--auth-file", users.toString(),
                "--header", "X-Frame-Options: DENY", "--header", "Permissions-Policy: camera=(), mic=()",
                "--cors", "--spa", "--error-page", "404=errors/404.html");
        assertEquals(List.of("bob", "alice"), c.credentials.stream().map(Credential::user).toList());
        assertEquals(List.of(new ConfiguredField("X-Frame-Options", "DENY"),
                new ConfiguredField("Permissions-Policy", "camera=(), mic=()")), c.headers);
        assertTrue(c.cors);
        assertTrue(c.spa);
        assertEquals("/errors/404.html", c.notFoundPage);
    }

    @Test
    void theDefaultsAskNothingAddNothingAndTakeA404HtmlWhenThere() {
        ServerConfig c = config(Map.of());
        assertEquals(List.of(), c.credentials);
        assertEquals(List.of(), c.headers);
        assertFalse(c.cors);
        assertFalse(c.spa);
        assertEquals("/404.html", c.notFoundPage);
    }

    @Test
    void theEnvironmentStandsInForEachOfThem() {
        ServerConfig c = config(Map.of("AMPED_AUTH", "bob:secret", "AMPED_HEADER", "X-Robots-Tag: noindex, nofollow",
                "AMPED_CORS", "true", "AMPED_SPA", "true", "AMPED_ERROR_PAGE", "404=/errors/404.html"));
        assertEquals(List.of("bob"), c.credentials.stream().map(Credential::user).toList());
        assertEquals(List.of(new ConfiguredField("X-Robots-Tag", "noindex, nofollow")), c.headers);
        assertTrue(c.cors && c.spa);
        assertEquals("/errors/404.html", c.notFoundPage);
    }

    @Test
    void badCredentialsAreOneLineThatNeverRepeatsAPassword() throws Exception {
        assertEquals("amped: --auth: no colon between the user and the password; expected USER:PASSWORD",
                refusal("--auth", "hunter2"));
        assertEquals("amped: --auth: the password is empty; expected USER:PASSWORD", refusal("--auth", "alice:"));
        assertEquals("amped: --auth: the user alice is given more than once (in --auth or --auth-file); expected each user once",
                refusal("--auth", "alice:x", "--auth", "alice:y"));
        Path md5 = Files.writeString(dir.resolve("md5"), "carol:$apr1$x9d3RMbx$KpBlpOxl5xpCzPvB2JlrU.\n");
        assertEquals("amped: --auth-file " + md5 + ": line 1 (user carol) has no bcrypt hash (it is MD5 or SHA-1);"
                + " expected an htpasswd file of bcrypt hashes, as htpasswd -B writes it", refusal("--auth-file", md5.toString()));
        assertTrue(refusal("--auth-file", dir.resolve("none").toString())
                .endsWith("none: cannot read it: no such file or directory; expected an htpasswd file of bcrypt hashes, as htpasswd -B writes it"));
        assertTrue(refusal("--auth-file", dir.toString()).contains("cannot read it"));
    }

    @Test
    void aBadUserFromTheEnvironmentIsNamedByItsVariableWithoutItsPassword() {
        Main.Launch launch = Main.prepare(args(), Map.of("AMPED_AUTH", "alice:"), stream(out), stream(err), false);
        assertEquals(2, launch.exitCode);
        assertEquals("amped: AMPED_AUTH: the password is empty; expected USER:PASSWORD\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void badHeadersAreOneLine() {
        assertEquals("amped: --header 'Content-Length: 5': Content-Length frames the message or concerns the connection;"
                + " amped sets it; expected 'NAME: VALUE' such as 'X-Frame-Options: DENY'", refusal("--header", "Content-Length: 5"));
        assertEquals("amped: --header 'X-A: b\\x0d\\x0aX-Evil: 1': the value holds a control character (CR, LF, NUL or"
                + " another) or a character outside Latin-1; expected 'NAME: VALUE' such as 'X-Frame-Options: DENY'",
                refusal("--header", "X-A: b\r\nX-Evil: 1"));
        assertTrue(refusal("--header", "no colon").contains("no colon between the name and the value"));
        assertTrue(refusal("--header", "Access-Control-Allow-Origin: *", "--cors").contains("--cors sets the CORS fields"));
    }

    @Test
    void aBadErrorPageIsOneLine() throws IOException {
        String expected = "; expected 404=PATH with PATH a file under DIR, such as 404=errors/404.html";
        assertEquals("amped: --error-page 500=errors/404.html: only 404 can have a page" + expected,
                refusal("--error-page", "500=errors/404.html"));
        assertTrue(refusal("--error-page", "404=../etc/passwd").contains("a . or .. segment"));
        assertEquals("amped: --error-page 404=errors/gone.html: no such file in " + dir.toAbsolutePath() + expected,
                refusal("--error-page", "404=errors/gone.html"));
        assertEquals("amped: --error-page 404=.hidden/404.html: a hidden path, which amped does not serve without --show-hidden"
                + expected, refusal("--error-page", "404=.hidden/404.html"));
        try {
            Files.createSymbolicLink(dir.resolve("errors/linked.html"), dir.resolve("errors/404.html"));
        } catch (IOException | UnsupportedOperationException e) {
            return;
        }
        assertEquals("amped: --error-page 404=errors/linked.html: a symbolic link, which amped does not follow without"
                + " --follow-symlinks" + expected, refusal("--error-page", "404=errors/linked.html"));
    }

    @Test
    void theBannerSaysWhatIsSetUp() throws Exception {
        ServerConfig c = config(Map.of(), "--port", "0", "--auth", "u:p", "--cors", "--spa", "--header", "X-A: b");
        try (AmpedServer server = AmpedServer.start(c)) {
            assertTrue(Banner.text(server, c).contains("\n  access: basic authentication (1 user), CORS for any origin,"
                    + " single-page app (routes get /index.html), 1 header field added\n"), Banner.text(server, c));
        }
        ServerConfig plain = config(Map.of(), "--port", "0");
        try (AmpedServer server = AmpedServer.start(plain)) {
            assertFalse(Banner.text(server, plain).contains("access:"), Banner.text(server, plain));
        }
    }

    @Test
    void authOnANonLoopbackAddressWithoutTlsIsWarnedAbout() {
        err.reset();
        assertEquals(0, Main.run(args("--auth", "u:p", "--bind", "0.0.0.0", "--check"), Map.of(), stream(out), stream(err)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("amped: warning: basic authentication on 0.0.0.0 without TLS"),
                err.toString(StandardCharsets.UTF_8));
        err.reset();
        assertEquals(0, Main.run(args("--auth", "u:p", "--check"), Map.of(), stream(out), stream(err)));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }
}
