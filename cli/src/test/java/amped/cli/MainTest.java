package amped.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amped.core.log.AccessLogFormat;
import amped.core.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line: every option, its default, its environment variable, and every error path. */
class MainTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Main.Launch prepare(Map<String, String> env, boolean terminal, String... args) {
        return Main.prepare(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), terminal);
    }

    private Main.Launch prepare(String... args) {
        return prepare(Map.of(), false, args);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        Main.Launch launch = prepare(dir.toString());
        assertEquals(-1, launch.exitCode);
        ServerConfig c = launch.config;
        assertEquals("127.0.0.1", c.bind.getAddress().getHostAddress());
        assertEquals(8080, c.bind.getPort());
        assertEquals(1, c.dispatchers);
        assertEquals(4, c.diskThreads);
        assertEquals(256 * 1024, c.chunkSize);
        assertEquals(64L * 1024 * 1024, c.bufferMemory);
        assertEquals(64L * 1024 * 1024, c.cacheSize);
        assertEquals(64 * 1024, c.cacheMaxFile);
        assertEquals(10_000, c.maxConnections);
        assertEquals(Duration.ofSeconds(10), c.headerTimeout);
        assertEquals(Duration.ofSeconds(60), c.idleTimeout);
        assertEquals(Duration.ofSeconds(60), c.sendTimeout);
        assertEquals(Duration.ofSeconds(10), c.shutdownTimeout);
        assertEquals(Duration.ZERO, c.drainDelay);
        assertEquals(8 * 1024, c.parseLimits.maxRequestLine());
        assertEquals(16 * 1024, c.parseLimits.maxHeaderBytes());
        assertEquals(100, c.parseLimits.maxHeaderCount());
        assertTrue(c.listing);
        assertTrue(c.precompressed);
        assertEquals(false, c.showHidden);
        assertEquals(false, c.followSymlinks);
        assertNull(c.cacheControl);
        assertNull(c.statusPath);
        // not a terminal: no access log by default
        assertNull(c.accessLog);
        assertEquals(AccessLogFormat.COMBINED, c.logFormat);
        assertEquals(dir.toAbsolutePath().normalize(), c.root);
        assertEquals("", err());
    }

    @Test
    void theAccessLogDefaultsToStandardOutputOnATerminal() {
        assertEquals("-", prepare(Map.of(), true, dir.toString()).config.accessLog);
        assertNull(prepare(Map.of(), true, dir.toString(), "--access-log", "off").config.accessLog);
        assertEquals("/var/log/amped.log", prepare(dir.toString(), "--access-log", "/var/log/amped.log").config.accessLog);
    }

    @Test
    void everyOptionIsParsedWithHumanSizesAndDurations() {
        Main.Launch launch = prepare(dir.toString(), "--port", "0", "--bind", "::1", "--dispatchers", "2",
                "--disk-threads", "8", "--chunk-size", "1m", "--buffer-memory", "128m", "--cache-size", "0",
                "--cache-max-file", "1m", "--listing-memory", "8m", "--max-connections", "50",
                "--header-timeout", "500ms", "--idle-timeout", "2m", "--send-timeout", "1h", "--shutdown-timeout", "30s",
                "--drain-delay", "5s", "--max-request-line", "4k", "--max-header-size", "32k", "--max-headers", "50",
                "--no-listing", "--show-hidden", "--follow-symlinks", "--no-precompressed",
                "--cache-control", "public, max-age=60", "--mime", "log=text/plain", "--mime", "dat=application/x-dat,foo=text/x-foo",
                "--access-log", "-", "--log-format", "json", "--status", "/-/status", "--status-public", "--quiet");
        assertEquals(-1, launch.exitCode, err());
        ServerConfig c = launch.config;
        assertEquals(0, c.bind.getPort());
        assertTrue(c.bind.getAddress().isLoopbackAddress());
        assertEquals(2, c.dispatchers);
        assertEquals(8, c.diskThreads);
        assertEquals(1024 * 1024, c.chunkSize);
        assertEquals(128L * 1024 * 1024, c.bufferMemory);
        assertEquals(0, c.cacheSize);
        assertEquals(1024 * 1024, c.cacheMaxFile);
        assertEquals(8L * 1024 * 1024, c.listingMemory);
        assertEquals(50, c.maxConnections);
        assertEquals(Duration.ofMillis(500), c.headerTimeout);
        assertEquals(Duration.ofMinutes(2), c.idleTimeout);
        assertEquals(Duration.ofHours(1), c.sendTimeout);
        assertEquals(Duration.ofSeconds(30), c.shutdownTimeout);
        assertEquals(Duration.ofSeconds(5), c.drainDelay);
        assertEquals(4096, c.parseLimits.maxRequestLine());
        assertEquals(32 * 1024, c.parseLimits.maxHeaderBytes());
        assertEquals(50, c.parseLimits.maxHeaderCount());
        assertEquals(false, c.listing);
        assertTrue(c.showHidden);
        assertTrue(c.followSymlinks);
        assertEquals(false, c.precompressed);
        assertEquals("public, max-age=60", c.cacheControl);
        assertEquals("text/plain; charset=utf-8", c.mimeTypes.contentType("x.log"));
        assertEquals("application/x-dat", c.mimeTypes.contentType("x.dat"));
        assertEquals("text/x-foo; charset=utf-8", c.mimeTypes.contentType("x.foo"));
        assertEquals("-", c.accessLog);
        assertEquals(AccessLogFormat.JSON, c.logFormat);
        assertEquals("/-/status", c.statusPath);
        assertTrue(c.statusPublic);
        assertTrue(launch.quiet);
    }

    @Test
    void dispatchersAutoIsTheNumberOfProcessors() {
        assertEquals(Runtime.getRuntime().availableProcessors(),
                prepare(dir.toString(), "--dispatchers", "auto").config.dispatchers);
    }

    @Test
    void environmentVariablesStandInForOptionsAndFlagsOnTheCommandLineWin() {
        Map<String, String> env = Map.of("AMPED_DISK_THREADS", "7", "AMPED_CHUNK_SIZE", "512k",
                "AMPED_NO_LISTING", "true", "AMPED_PORT", "9999", "AMPED_STATUS", "/_status", "AMPED_IDLE_TIMEOUT", "90s");
        ServerConfig c = prepare(env, false, dir.toString(), "--port", "1234").config;
        assertEquals(7, c.diskThreads);
        assertEquals(512 * 1024, c.chunkSize);
        assertEquals(false, c.listing);
        assertEquals(1234, c.bind.getPort());
        assertEquals("/_status", c.statusPath);
        assertEquals(Duration.ofSeconds(90), c.idleTimeout);
        assertEquals("AMPED_MAX_REQUEST_LINE", EnvironmentDefaults.variableFor("--max-request-line"));
    }

    @Test
    void helpShowsEveryOptionInGroupsWithDefaultsAndExitsZero() {
        Main.Launch launch = prepare("--help");
        assertEquals(0, launch.exitCode);
        String help = out();
        for (String group : List.of("Network", "Content", "Limits and timeouts", "Performance", "Operations")) {
            assertTrue(help.contains("\n" + group + "\n"), group);
        }
        for (String option : List.of("--port", "--bind", "--disk-threads", "--chunk-size", "--buffer-memory",
                "--dispatchers", "--cache-size", "--cache-max-file", "--listing-memory", "--max-connections", "--header-timeout", "--idle-timeout", "--send-timeout",
                "--shutdown-timeout", "--drain-delay", "--max-request-line", "--max-header-size", "--max-headers",
                "--no-listing", "--show-hidden", "--follow-symlinks", "--no-precompressed", "--cache-control",
                "--mime", "--access-log", "--log-format", "--status", "--status-public", "--quiet", "--check",
                "--help", "--version")) {
            assertTrue(help.contains(option), option);
        }
        assertTrue(help.contains("(default: 8080)"));
        assertTrue(help.contains("(default: 256k)"));
        assertTrue(help.contains("(default: 10s)"));
        assertTrue(help.contains("AMPED_DISK_THREADS"));
    }

    @Test
    void versionPrintsTheBuildVersion() {
        assertEquals(0, prepare("--version").exitCode);
        assertTrue(out().matches("amped \\d+\\.\\d+\\.\\d+.*\\R"), out());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--bogus|Unknown option",
        "--port x|'x' is not an int",
        "--port 70000|port must be between 0 and 65535",
        "--port -1|port must be between 0 and 65535",
        "--bind no.such.host.invalid|cannot resolve bind address",
        "--chunk-size 12q|invalid size '12q'",
        "--chunk-size 4k|chunk size must be at least 16k",
        "--chunk-size 4g|--chunk-size is too large",
        "--buffer-memory 100k|buffer memory must hold at least one chunk",
        "--cache-size lots|invalid size 'lots'",
        "--cache-max-file 3g|--cache-max-file is too large",
        "--disk-threads 0|disk threads must be at least 1",
        "--dispatchers 0|--dispatchers must be a number from 1 to 1024 or 'auto'",
        "--dispatchers many|--dispatchers must be a number from 1 to 1024 or 'auto'",
        "--max-connections 0|max connections must be at least 1",
        "--header-timeout soon|invalid duration 'soon'",
        "--idle-timeout 0s|--idle-timeout must be greater than zero",
        "--max-request-line 8|--max-request-line and --max-header-size must be at least 16 bytes",
        "--max-headers 0|--max-headers at least 1",
        "--mime foo|EXT=TYPE",
        "--mime x=nonsense|invalid media type",
        "--log-format xml|unknown log format 'xml'",
        "--status status|status path must look like /-/status",
        "--status /a/../b|status path must look like /-/status",
        "--port|Missing required parameter for option '--port'",
    })
    void aBadCommandLineIsOneLineOnStderrAndExitCodeTwo(String args, String message) {
        List<String> argv = new ArrayList<>();
        argv.add(dir.toString());
        argv.addAll(List.of(args.split(" ")));
        Main.Launch launch = prepare(argv.toArray(new String[0]));
        assertEquals(2, launch.exitCode, err());
        String e = err();
        assertTrue(e.startsWith("amped: "), e);
        assertEquals(1, e.lines().count(), e);
        assertTrue(e.contains(message), e + " should contain " + message);
        assertEquals("", out());
    }

    @Test
    void valuesWithControlCharactersOrBlanksAreRefused() {
        assertEquals(2, prepare(dir.toString(), "--cache-control", "no-cache\r\nX-Evil: 1").exitCode);
        assertTrue(err().startsWith("amped: --cache-control must be printable ASCII"), err());
        err.reset();
        assertEquals(2, prepare(dir.toString(), "--access-log", " ").exitCode);
        assertTrue(err().startsWith("amped: --access-log needs a path, - or off"), err());
    }

    @Test
    void aMissingDirectoryOrAFileInsteadOfOneIsOneLineAndExitCodeTwo() throws Exception {
        Main.Launch missing = prepare(dir.resolve("nope").toString());
        assertEquals(2, missing.exitCode);
        assertTrue(err().startsWith("amped: no such directory: "), err());
        err.reset();
        Path file = Files.writeString(dir.resolve("file.txt"), "x");
        assertEquals(2, prepare(file.toString()).exitCode);
        assertTrue(err().startsWith("amped: not a directory: "), err());
    }

    @Test
    void checkValidatesWithoutServing() throws Exception {
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(0, Main.run(new String[] {dir.toString(), "--check", "--port", "0"}, Map.of(), o, e));
        assertTrue(out().startsWith("amped: configuration OK: would serve " + dir.toAbsolutePath()), out());
        assertEquals(2, Main.run(new String[] {dir.toString(), "--check", "--access-log", "/proc/nope/x.log"}, Map.of(), o, e));
        assertTrue(err().contains("access log not writable"), err());
        assertEquals(2, Main.run(new String[] {dir.resolve("missing").toString(), "--check"}, Map.of(), o, e));
    }

    @Test
    void sizesAndDurationsRoundTrip() {
        assertEquals(262_144, Sizes.parse("256k"));
        assertEquals(262_144, Sizes.parse("256KiB"));
        assertEquals(1L << 30, Sizes.parse("1g"));
        assertEquals(4096, Sizes.parse("4096"));
        assertEquals("64m", Sizes.format(Sizes.parse("64m")));
        assertEquals(Duration.ofMillis(1500), Durations.parse("1500ms"));
        assertEquals(Duration.ofSeconds(42), Durations.parse("42"));
        assertEquals("2m", Durations.format(Durations.parse("120s")));
    }
}
