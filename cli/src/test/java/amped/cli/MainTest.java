package amped.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amped.core.log.AccessLogFormat;
import amped.core.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
        assertTrue(c.gzip);
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
                "--no-listing", "--show-hidden", "--follow-symlinks", "--no-precompressed", "--no-gzip",
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
        assertEquals(false, c.gzip);
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
                "AMPED_NO_LISTING", "true", "AMPED_NO_GZIP", "true", "AMPED_PORT", "9999", "AMPED_STATUS", "/_status", "AMPED_IDLE_TIMEOUT", "90s");
        ServerConfig c = prepare(env, false, dir.toString(), "--port", "1234").config;
        assertEquals(7, c.diskThreads);
        assertEquals(512 * 1024, c.chunkSize);
        assertEquals(false, c.listing);
        assertEquals(false, c.gzip);
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
        for (String group : List.of("Network", "HTTPS", "Content", "Limits and timeouts", "Performance", "Operations")) {
            assertTrue(help.contains("\n" + group + "\n"), group);
        }
        for (String option : List.of("--port", "--bind", "--disk-threads", "--chunk-size", "--buffer-memory",
                "--dispatchers", "--cache-size", "--cache-max-file", "--listing-memory", "--max-connections", "--header-timeout", "--idle-timeout", "--send-timeout",
                "--shutdown-timeout", "--drain-delay", "--max-request-line", "--max-header-size", "--max-headers",
                "--no-listing", "--show-hidden", "--follow-symlinks", "--no-precompressed", "--no-gzip", "--cache-control",
                "--mime", "--access-log", "--log-format", "--status", "--status-public", "--status-listen", "--quiet", "--check",
                "--tls-cert", "--tls-key", "--tls-keystore", "--tls-keystore-password-file", "--tls-self-signed",
                "--redirect-http", "--hsts", "--help", "--version")) {
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
        "--bogus|unknown option --bogus; expected one of the options amped --help lists",
        "--prot 80|unknown option --prot (did you mean --port?)",
        "second-dir|one directory at a time: second-dir would be a second one; expected DIR once, then options",
        "--port x|--port x: not a whole number; expected a TCP port from 0 to 65535 (0 picks a free one)",
        "--port 70000|--port 70000: out of range; expected a TCP port from 0 to 65535",
        "--port -1|--port -1: out of range; expected a TCP port from 0 to 65535",
        "--bind no.such.host.invalid|--bind no.such.host.invalid: cannot resolve this name; expected an address",
        "--chunk-size 12q|--chunk-size 12q: 'q' is not a unit (k, m, g or t); expected a size such as 4096, 256k, 64m or 1g",
        "--chunk-size 4k|--chunk-size 4k: too small; expected at least 16k",
        "--chunk-size 4g|--chunk-size 4g: --chunk-size is too large; expected at most 1g",
        "--buffer-memory 100k|--buffer-memory 100k: too small: buffer memory must hold at least one 256k chunk per dispatcher; expected at least 256k",
        "--cache-size lots|--cache-size lots: not a number; expected a size such as 4096",
        "--cache-size -1|--cache-size -1: a size cannot be negative; expected a size such as 4096",
        "--cache-max-file 3g|--cache-max-file 3g: --cache-max-file is too large; expected at most 1g",
        "--disk-threads 0|--disk-threads 0: out of range; expected a number from 1 to 1024",
        "--dispatchers 0|--dispatchers 0: out of range; expected a number from 1 to 1024 or auto",
        "--dispatchers many|--dispatchers many: not a whole number; expected a number from 1 to 1024 or auto",
        "--max-connections 0|--max-connections 0: out of range; expected a number of connections, at least 1",
        "--header-timeout soon|--header-timeout soon: not a number; expected a duration such as 500ms, 10s, 2m or 1h (a bare number is seconds)",
        "--drain-delay 2x|--drain-delay 2x: 'x' is not a unit (ms, s, m or h); expected a duration",
        "--idle-timeout 0s|--idle-timeout 0s: --idle-timeout must be greater than zero; expected a duration above 0",
        "--max-request-line 8|--max-request-line 8: too small; expected at least 16 bytes",
        "--max-headers 0|--max-headers 0: out of range; expected a number of fields, at least 1",
        "--mime foo|--mime foo: invalid MIME type override \"foo\": expected EXT=TYPE",
        "--mime x=nonsense|--mime x=nonsense: invalid media type",
        "--log-format xml|--log-format xml: unknown log format 'xml'; expected combined or json",
        "--status status|--status status: not an absolute path; expected a path such as /-/status",
        "--status /a/../b|--status /a/../b: a . or .. segment; expected a path such as /-/status",
        "--status-public|--status-public: there are no status endpoints to open up without --status; expected --status PATH",
        "--port|--port needs a value; expected N",
        "--status-listen 9090|--status-listen 9090: not an address and port; expected an address and port such as 127.0.0.1:9090",
        "--status-listen :9090|--status-listen :9090: no address before the port; expected an address and port",
        "--status-listen 127.0.0.1:99999|--status-listen 127.0.0.1:99999: the port is not a number from 0 to 65535; expected",
        "--status-listen 127.0.0.1:x|--status-listen 127.0.0.1:x: the port is not a number from 0 to 65535; expected",
        "--status-listen ::1:9090|--status-listen ::1:9090: an IPv6 address needs brackets; expected an address and port such as 127.0.0.1:9090 ([::1]:9090 for IPv6)",
        "--status-listen no.such.host.invalid:9090|--status-listen no.such.host.invalid:9090: cannot resolve no.such.host.invalid; expected an address of this machine",
        "--status-listen 127.0.0.1:8080|--status-listen 127.0.0.1:8080: the main listener's port (--port 8080); expected a port of its own such as 127.0.0.1:9090",
        "--status-listen 127.0.0.1:9090 --status-public|--status-public: the status endpoints are on --status-listen's own listener, which answers whoever reaches its address; expected no --status-public",
        "--tls-cert c.pem|--tls-cert c.pem: no --tls-key; expected --tls-key FILE",
        "--tls-key k.pem|--tls-key k.pem: no --tls-cert; expected --tls-cert FILE",
        "--tls-self-signed --tls-keystore a.p12|HTTPS: more than one certificate given; expected one of",
        "--tls-keystore-password-file p.txt|--tls-keystore-password-file p.txt: there is no --tls-keystore",
        "--tls-keystore /no/such.p12|--tls-keystore /no/such.p12: no such file; expected a readable file",
        "--hsts 1h|--hsts 1h: amped serves plain HTTP; expected HTTPS as well",
        "--redirect-http 8081|--redirect-http 8081: amped serves plain HTTP",
        "--tls-self-signed --redirect-http 70000|--redirect-http 70000",
        "--tls-self-signed --port 8443 --redirect-http 8443|--redirect-http 8443: the HTTPS port (--port 8443)",
        "--tls-self-signed --hsts forever|--hsts forever",
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
        assertTrue(!e.matches("(?s).*\\b(java|javax|picocli|amped)\\.[a-z].*") && !e.contains("Exception"), "no Java names: " + e);
        assertEquals("", out());
    }

    @Test
    void aValueFromTheEnvironmentIsNamedByItsVariable() {
        assertEquals(2, prepare(Map.of("AMPED_CHUNK_SIZE", "12q"), false, dir.toString()).exitCode);
        assertTrue(err().startsWith("amped: AMPED_CHUNK_SIZE=12q: 'q' is not a unit"), err());
        err.reset();
        assertEquals(2, prepare(Map.of("AMPED_NO_LISTING", "maybe"), false, dir.toString()).exitCode);
        assertTrue(err().startsWith("amped: AMPED_NO_LISTING=maybe: not accepted; expected true or false"), err());
        err.reset();
        assertEquals(2, prepare(Map.of("AMPED_STATUS_PUBLIC", "true"), false, dir.toString()).exitCode);
        assertTrue(err().startsWith("amped: AMPED_STATUS_PUBLIC=true: there are no status endpoints"), err());
    }

    @Test
    void helpSaysABareNumberIsSeconds() {
        assertEquals(0, prepare("--help").exitCode);
        assertTrue(out().contains("a bare number is seconds"), out());
    }

    @Test
    void httpsOptionsAndTheirEnvironmentForms() throws Exception {
        Path p12 = Files.writeString(dir.resolve("a.p12"), "not really");
        ServerConfig c = prepare(Map.of("AMPED_TLS_KEYSTORE", p12.toString(), "AMPED_TLS_KEYSTORE_PASSWORD", "pw",
                "AMPED_HSTS", "8760h", "AMPED_REDIRECT_HTTP", "8081"), false, dir.toString()).config;
        assertEquals(new amped.core.tls.TlsIdentity.Keystore(p12, "pw"), c.tls);
        assertEquals(java.time.Duration.ofDays(365), c.hsts);
        assertEquals(8081, c.redirectHttpPort);
        Path pw = Files.writeString(dir.resolve("pw.txt"), "from file\nsecond line\n");
        assertEquals(new amped.core.tls.TlsIdentity.Keystore(p12, "from file"), prepare(Map.of("AMPED_TLS_KEYSTORE_PASSWORD", "env"),
                false, dir.toString(), "--tls-keystore", p12.toString(), "--tls-keystore-password-file", pw.toString()).config.tls);
        assertTrue(prepare(Map.of("AMPED_TLS_SELF_SIGNED", "true"), false, dir.toString()).config.tls
                instanceof amped.core.tls.TlsIdentity.SelfSigned);
        assertNull(prepare(dir.toString()).config.tls);
    }

    @Test
    void aCertificateThatDoesNotLoadIsOneLineAndExitCodeTwoForCheckAndStart() throws Exception {
        Path cert = Files.writeString(dir.resolve("c.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        Path key = Files.writeString(dir.resolve("k.pem"), "no key here\n");
        for (String mode : List.of("--check", "--quiet")) {
            err.reset();
            assertEquals(2, run(dir.toString(), "--port", "0", mode, "--tls-cert", cert.toString(), "--tls-key", key.toString()));
            String e = err();
            assertEquals(1, e.lines().count(), e);
            assertTrue(e.startsWith("amped: --tls-cert " + cert + " with --tls-key " + key + ": "), e);
            assertTrue(e.contains("; expected a PEM certificate chain and its unencrypted private key"), e);
            assertTrue(!e.contains("Exception") && !e.matches("(?s).*\\b(java|javax|amped)\\.[a-z].*"), e);
        }
    }

    private int run(String... args) {
        return Main.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void checkRefusesWhatAStartRefusesWithTheSameLine() throws Exception {
        Path logDir = Files.createDirectories(dir.resolve("logs"));
        for (String[] bad : List.of(new String[] {"--access-log", logDir.toString()},
                new String[] {"--access-log", "/no/such/a.log"})) {
            List<String> check = new ArrayList<>(List.of(dir.toString(), "--port", "0", "--check"));
            check.addAll(List.of(bad));
            assertEquals(2, run(check.toArray(new String[0])), err());
            String checkErr = err();
            err.reset();
            List<String> start = new ArrayList<>(List.of(dir.toString(), "--port", "0"));
            start.addAll(List.of(bad));
            assertEquals(2, run(start.toArray(new String[0])), err());
            assertEquals(checkErr, err(), "--check and a start refuse alike");
            assertEquals(1, checkErr.lines().count(), checkErr);
            err.reset();
        }
        assertEquals(2, run(dir.toString(), "--check", "--access-log", logDir.toString()));
        assertTrue(err().startsWith("amped: --access-log " + logDir + ": is a directory; expected a file"), err());
        err.reset();
        assertEquals(2, run(dir.toString(), "--check", "--access-log", "/no/such/a.log"));
        assertEquals("amped: --access-log /no/such/a.log: no such directory /no/such; expected a file in an existing"
                + " directory (created if missing), - or off\n", err());
    }

    @Test
    void statusListenTakesAnAddressAndPortIPv6InBrackets() {
        ServerConfig c = prepare(dir.toString(), "--status-listen", "127.0.0.1:9090").config;
        assertEquals(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9090), c.statusListen);
        assertNull(c.statusPath);
        c = prepare(dir.toString(), "--status-listen", "[::1]:9091", "--status", "/-/status").config;
        assertEquals(9091, c.statusListen.getPort());
        assertTrue(c.statusListen.getAddress() instanceof java.net.Inet6Address && c.statusListen.getAddress().isLoopbackAddress());
        assertEquals("/-/status", c.statusPath);
        assertNull(prepare(dir.toString()).config.statusListen);
    }

    @Test
    void checkNamesTheStatusListener() throws Exception {
        Files.createDirectories(dir.resolve("docs"));
        assertEquals(0, run(dir.toString(), "--check", "--port", "8081", "--status-listen", "127.0.0.1:9090", "--status", "/docs"));
        String o = out();
        assertTrue(o.contains("the status listener 127.0.0.1:9090 (status endpoints at /docs/ there, none on the main port)"), o);
        assertTrue(o.contains("not checked: whether 127.0.0.1:8081 and 127.0.0.1:9090 are free"), o);
        assertEquals("", err(), "on a listener of its own the status path hides nothing");
    }

    @Test
    void checkSaysWhatItChecked() {
        assertEquals(0, run(dir.toString(), "--check", "--port", "0", "--access-log", dir.resolve("a.log").toString(),
                "--status", "/-/status"));
        String o = out();
        assertTrue(o.contains("checked: every option's value; the directory " + dir.toAbsolutePath().normalize()), o);
        assertTrue(o.contains("the access log " + dir.resolve("a.log") + " (will be created)"), o);
        assertTrue(o.contains("the status path /-/status (hides nothing in the directory)"), o);
        assertTrue(o.contains("not checked: whether 127.0.0.1:0 is free"), o);
        assertTrue(Files.notExists(dir.resolve("a.log")), "--check creates nothing");
    }

    @Test
    void aStatusPathHidingARealFolderIsWarnedAbout() throws Exception {
        Files.createDirectories(dir.resolve("docs"));
        assertEquals(0, run(dir.toString(), "--check", "--status", "/docs"));
        assertTrue(err().startsWith("amped: warning: --status /docs hides " + dir.resolve("docs") + "/, which can no"
                + " longer be downloaded"), err());
        err.reset();
        assertEquals(0, run(dir.toString(), "--check", "--status", "/-/status"));
        assertEquals("", err());
    }

    @Test
    void aBusyPortIsReportedWithinASecondWhateverTheDispatcherCount() throws Exception {
        try (java.nio.channels.ServerSocketChannel held = java.nio.channels.ServerSocketChannel.open()) {
            held.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
            int port = ((java.net.InetSocketAddress) held.getLocalAddress()).getPort();
            // once untimed: loading the server's classes is start-up, not the time to report (the test order varies)
            assertEquals(1, run(dir.toString(), "--port", Integer.toString(port)));
            err.reset();
            for (String dispatchers : List.of("1", "4")) {
                long start = System.nanoTime();
                assertEquals(1, run(dir.toString(), "--port", Integer.toString(port), "--dispatchers", dispatchers));
                long ms = (System.nanoTime() - start) / 1_000_000;
                assertTrue(ms < 1000, dispatchers + " dispatchers: " + ms + " ms");
                assertEquals("amped: cannot listen on 127.0.0.1:" + port + ": the port is in use by another program;"
                        + " expected a free --port (0 picks one)\n", err());
                err.reset();
            }
        }
    }

    /** The README's option table lists exactly the options --help shows, with the same value labels and defaults. */
    @Test
    void theReadmeOptionTableMatchesHelp() throws Exception {
        List<String> readme = Files.readAllLines(Path.of("..", "README.md"));
        java.util.Set<String> documented = new java.util.TreeSet<>();
        Map<String, String> readmeDefaults = new java.util.HashMap<>();
        for (String line : readme) {
            if (!line.startsWith("| `--")) {
                continue;
            }
            String[] cells = line.replace("\\|", "\u0001").split("\\|");
            String names = cells[1].trim();
            for (String cell : names.split(", ")) {
                String option = cell.replace("`", "").replace('\u0001', '|').trim();
                documented.add(option);
                java.util.regex.Matcher d = java.util.regex.Pattern.compile("^`([^`]*)`$").matcher(cells[2].trim());
                if (d.matches()) {
                    readmeDefaults.put(option.split(" ")[0], d.group(1));
                }
            }
        }
        picocli.CommandLine cli = new picocli.CommandLine(new Options());
        java.util.Set<String> helped = new java.util.TreeSet<>();
        for (picocli.CommandLine.Model.OptionSpec o : cli.getCommandSpec().options()) {
            String name = o.longestName();
            helped.add(o.arity().max() > 0 ? name + " " + o.paramLabel() : name);
            String readmeDefault = readmeDefaults.get(name);
            if (o.defaultValue() != null && readmeDefault != null) {
                assertEquals(o.defaultValue(), readmeDefault, "default of " + name);
            }
        }
        assertEquals(helped, documented, "README option table vs --help");
    }

    @Test
    void valuesWithControlCharactersOrBlanksAreRefused() {
        assertEquals(2, prepare(dir.toString(), "--cache-control", "no-cache\r\nX-Evil: 1").exitCode);
        assertTrue(err().startsWith("amped: --cache-control 'no-cache\\x0d\\x0aX-Evil: 1': --cache-control must be printable ASCII"), err());
        err.reset();
        assertEquals(2, prepare(dir.toString(), "--access-log", " ").exitCode);
        assertTrue(err().startsWith("amped: --access-log ' ': --access-log needs a path, - or off"), err());
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
        assertTrue(err().contains("--access-log /proc/nope/x.log: no such directory /proc/nope"), err());
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
