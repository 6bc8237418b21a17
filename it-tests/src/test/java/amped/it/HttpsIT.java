package amped.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS as a user runs it: the packaged jar with certificates openssl made (RSA as PKCS#8 and PKCS#1, EC as
 * SEC1), asked by curl, openssl s_client and Java's HttpClient; reload on SIGHUP under load; hostile clients.
 */
@Timeout(180)
class HttpsIT {

    private static final int SIZE = 8 * 1024 * 1024;

    @TempDir
    static Path dir;
    static Path root;
    static String sha;
    private final List<AmpedProcess> started = new ArrayList<>();

    @BeforeAll
    static void files() throws Exception {
        Assumptions.assumeTrue(Tools.installed("openssl"), "openssl is not installed (CI installs it)");
        root = Files.createDirectory(dir.resolve("www"));
        sha = TestFiles.write(root.resolve("big.bin"), SIZE, 14);
        Files.writeString(root.resolve("hello.txt"), "hello, world\n");
        Tools.run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "rsa-pkcs8.key",
                "-out", "rsa.crt", "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1");
        Tools.run(dir, "openssl", "rsa", "-in", "rsa-pkcs8.key", "-traditional", "-out", "rsa-pkcs1.key");
        Tools.run(dir, "openssl", "ecparam", "-name", "prime256v1", "-genkey", "-out", "ec-sec1.key");
        Tools.run(dir, "openssl", "req", "-x509", "-key", "ec-sec1.key", "-out", "ec.crt", "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1");
        Tools.run(dir, "openssl", "pkcs12", "-export", "-in", "ec.crt", "-inkey", "ec-sec1.key", "-out", "ec.p12",
                "-passout", "pass:s3cret");
        Files.writeString(dir.resolve("p12.pass"), "s3cret\n");
    }

    @AfterEach
    void stop() {
        started.forEach(AmpedProcess::close);
    }

    private AmpedProcess amped(String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("env", "--default-signal=HUP"));
        List<String> args = new ArrayList<>(List.of(root.toString(), "--port", "0"));
        args.addAll(List.of(options));
        command.addAll(AmpedProcess.javaCommand(List.of(), args.toArray(String[]::new)));
        AmpedProcess p = AmpedProcess.start(command, dir.resolve("amped-" + started.size() + ".stderr"));
        started.add(p);
        assertEquals("https", p.base.getScheme(), p.banner);
        return p;
    }

    @Test
    void curlWithCacertGetsTheExactFileForEveryKeyForm() throws Exception {
        Assumptions.assumeTrue(Tools.installed("curl"), "curl is not installed");
        String[][] forms = {{"rsa.crt", "rsa-pkcs8.key"}, {"rsa.crt", "rsa-pkcs1.key"}, {"ec.crt", "ec-sec1.key"}};
        for (String[] form : forms) {
            AmpedProcess amped = amped("--tls-cert", dir.resolve(form[0]).toString(), "--tls-key", dir.resolve(form[1]).toString());
            Path out = dir.resolve("out-" + form[1]);
            Tools.run(dir, "curl", "-sS", "--fail", "--noproxy", "*", "--cacert", form[0], "-o", out.toString(),
                    amped.base.resolve("big.bin").toString());
            assertEquals(sha, TestFiles.sha256(Files.readAllBytes(out)), String.join(" ", form));
            assertEquals(0, amped.terminate(20), amped.stderr());
        }
    }

    @Test
    void selfSignedWithCurlDashKAndItsFingerprintInTheBanner() throws Exception {
        Assumptions.assumeTrue(Tools.installed("curl"), "curl is not installed");
        AmpedProcess amped = amped("--tls-self-signed");
        String lines = amped.stdout.readLine() + "\n" + amped.stdout.readLine() + "\n";
        assertTrue(lines.matches("(?s).*TLS certificate SHA-256 ([0-9A-F]{2}:){31}[0-9A-F]{2} \\(self-signed\\).*"), lines);
        String body = Tools.output(dir, "curl", "-sS", "--fail", "--noproxy", "*", "-k", amped.base.resolve("hello.txt").toString());
        assertEquals("hello, world\n", body);
        // localhost is among its names: a client that checks names (and trusts the certificate) accepts it
        X509Certificate served = peerCertificate(amped.port, trustAll());
        assertTrue(served.getSubjectAlternativeNames().stream().anyMatch(n -> n.get(1).equals("localhost")));
    }

    @Test
    void opensslSeesTls13And12WithAlpnAndRefusesOlderOnes() throws Exception {
        AmpedProcess amped = amped("--tls-keystore", dir.resolve("ec.p12").toString(),
                "--tls-keystore-password-file", dir.resolve("p12.pass").toString());
        String connect = "127.0.0.1:" + amped.port;
        String v13 = Tools.sClient(dir, "-connect", connect, "-tls1_3", "-alpn", "h2,http/1.1");
        assertTrue(v13.contains("New, TLSv1.3, Cipher is TLS_AES_"), v13);
        assertTrue(v13.contains("ALPN protocol: http/1.1"), v13);
        String v12 = Tools.sClient(dir, "-connect", connect, "-tls1_2", "-servername", "localhost");
        assertTrue(v12.matches("(?s).*New, TLSv1\\.2, Cipher is ECDHE-ECDSA-\\S+-(GCM-SHA\\d+|CHACHA20-POLY1305).*"), v12);
        String v11 = Tools.sClient(dir, "-connect", connect, "-tls1_1");
        assertTrue(v11.contains("Cipher is (NONE)"), v11);
        String cbc = Tools.sClient(dir, "-connect", connect, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA");
        assertTrue(cbc.contains("Cipher is (NONE)"), cbc);
        assertTrue(amped.process.isAlive());
    }

    @Test
    void segmentedDownloadsOverTlsPutTheFileBackTogether() throws Exception {
        AmpedProcess amped = amped("--tls-cert", dir.resolve("ec.crt").toString(), "--tls-key", dir.resolve("ec-sec1.key").toString());
        HttpClient http = client(trusting("ec.crt"));
        long[] bounds = new long[9];
        for (int i = 0; i <= 8; i++) {
            bounds[i] = (long) SIZE * i / 8;
        }
        bounds[1] = 1; // a one-byte segment
        assertEquals(sha, Downloads.segmented(http, amped.base.resolve("big.bin"), bounds, SIZE, Duration.ofSeconds(90)));
    }

    @Test
    void sighupReloadsTheCertificateUnderLoadWithoutAFailedRequestAndRefusesABrokenPair() throws Exception {
        Path cert = copy("rsa.crt", "live.crt");
        Path key = copy("rsa-pkcs8.key", "live.key");
        AmpedProcess amped = amped("--tls-cert", cert.toString(), "--tls-key", key.toString());
        SSLContext both = trusting("rsa.crt", "ec.crt");
        assertEquals(fingerprint("rsa.crt"), fingerprint(peerCertificate(amped.port, both)));
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger done = new AtomicInteger();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        List<Thread> load = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            // a new client (connection) per request: some handshake before the reload, some after
            Thread th = new Thread(() -> {
                while (running.get() && failed.get() == null) {
                    try {
                        HttpResponse<byte[]> r = client(both).send(HttpRequest.newBuilder(amped.base.resolve("big.bin"))
                                .header("Range", "bytes=0-999999").build(), HttpResponse.BodyHandlers.ofByteArray());
                        if (r.statusCode() != 206 || r.body().length != 1_000_000) {
                            throw new AssertionError("status " + r.statusCode() + ", " + r.body().length + " bytes");
                        }
                        done.incrementAndGet();
                    } catch (Throwable e) {
                        failed.compareAndSet(null, e);
                    }
                }
            });
            th.start();
            load.add(th);
        }
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> done.get() >= 8);
            Files.copy(dir.resolve("ec.crt"), cert, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(dir.resolve("ec-sec1.key"), key, StandardCopyOption.REPLACE_EXISTING);
            hangup(amped);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> fingerprint(peerCertificate(amped.port, both)).equals(fingerprint("ec.crt")));
            int after = done.get();
            await().atMost(Duration.ofSeconds(30)).until(() -> done.get() >= after + 8);
            // a broken pair (the key of another certificate) is refused; the one in use stays
            Files.copy(dir.resolve("rsa-pkcs8.key"), key, StandardCopyOption.REPLACE_EXISTING);
            hangup(amped);
            await().atMost(Duration.ofSeconds(20)).until(() -> amped.stderr().contains("kept the TLS certificate in use"));
            assertEquals(fingerprint("ec.crt"), fingerprint(peerCertificate(amped.port, both)));
        } finally {
            running.set(false);
            for (Thread th : load) {
                th.join(60_000);
            }
        }
        if (failed.get() != null) {
            throw new AssertionError("a request failed during the reload", failed.get());
        }
        assertTrue(amped.stderr().lines().filter(l -> l.contains("kept the TLS certificate")).count() == 1, amped.stderr());
        assertEquals(0, amped.terminate(20), amped.stderr());
    }

    @Test
    void hostileClientsAreCutOffAndOthersServed() throws Exception {
        AmpedProcess amped = amped("--tls-cert", dir.resolve("ec.crt").toString(), "--tls-key",
                dir.resolve("ec-sec1.key").toString(), "--header-timeout", "1s");
        // plain HTTP to the TLS port: a 400 in clear text, then the end
        try (Socket s = new Socket("127.0.0.1", amped.port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
        }
        // a handshake that stalls half-way (a record header and nothing more) is cut by the header timeout
        try (Socket s = new Socket("127.0.0.1", amped.port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(new byte[] {22, 3, 1, 2, 0});
            long began = System.nanoTime();
            assertEquals(-1, s.getInputStream().read());
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
            assertTrue(ms >= 700 && ms < 8000, "closed after " + ms + " ms");
        }
        // a malformed record after a good handshake closes that connection only
        try (Socket raw = new Socket("127.0.0.1", amped.port)) {
            raw.setSoTimeout(10_000);
            SSLSocket tls = (SSLSocket) trusting("ec.crt").getSocketFactory().createSocket(raw, "localhost", amped.port, false);
            tls.startHandshake();
            raw.getOutputStream().write(new byte[] {23, 3, 3, 0, 40, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
                    16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40});
            assertThrows(IOException.class, () -> {
                InputStream in = tls.getInputStream();
                if (in.read() >= 0) {
                    fail("an answer to a forged record");
                }
                throw new IOException("closed");
            });
        }
        HttpResponse<String> ok = client(trusting("ec.crt")).send(
                HttpRequest.newBuilder(amped.base.resolve("hello.txt")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("hello, world\n", ok.body());
        assertTrue(amped.process.isAlive());
        assertFalse(amped.stderr().contains("Exception"), amped.stderr());
    }

    @Test
    void aTlsClientOnAPlainPortFailsCleanly() throws Exception {
        List<String> command = AmpedProcess.javaCommand(List.of(), root.toString(), "--port", "0");
        AmpedProcess plain = AmpedProcess.start(command, dir.resolve("plain.stderr"));
        started.add(plain);
        try (SSLSocket s = (SSLSocket) trustAll().getSocketFactory().createSocket()) {
            s.connect(new InetSocketAddress("127.0.0.1", plain.port), 10_000);
            s.setSoTimeout(10_000);
            assertThrows(IOException.class, s::startHandshake);
        }
        assertTrue(plain.process.isAlive());
    }

    @Test
    void plainHttpPortRedirectsAndHttpsResponsesCarryHsts() throws Exception {
        AmpedProcess amped = amped("--tls-cert", dir.resolve("ec.crt").toString(), "--tls-key",
                dir.resolve("ec-sec1.key").toString(), "--redirect-http", "0", "--hsts", "8760h");
        String redirectLine = "";
        for (int i = 0; i < 6 && !redirectLine.contains("redirects to HTTPS"); i++) {
            redirectLine = amped.stdout.readLine();
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("plain HTTP on (http://127\\.0\\.0\\.1:\\d+/) redirects to HTTPS")
                .matcher(redirectLine);
        assertTrue(m.find(), redirectLine);
        java.net.URI plain = java.net.URI.create(m.group(1));
        HttpClient noFollow = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
        HttpResponse<String> moved = noFollow.send(HttpRequest.newBuilder(plain.resolve("hello.txt?x=1")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(308, moved.statusCode());
        assertEquals("https://127.0.0.1:" + amped.port + "/hello.txt?x=1", moved.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> followed = HttpClient.newBuilder().sslContext(trusting("ec.crt"))
                .proxy(HttpClient.Builder.NO_PROXY).followRedirects(HttpClient.Redirect.ALWAYS).build()
                .send(HttpRequest.newBuilder(plain.resolve("hello.txt")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, followed.statusCode());
        assertEquals("hello, world\n", followed.body());
        assertEquals("max-age=31536000", followed.headers().firstValue("Strict-Transport-Security").orElseThrow());
        // a bad request on the plain port: a 400, not a redirect built from it
        try (Socket s = new Socket("127.0.0.1", plain.getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
        }
        assertEquals(0, amped.terminate(20), amped.stderr());
    }

    @Test
    void underAnIgnoredSighupChangedFilesReloadTheCertificate() throws Exception {
        Path cert = copy("rsa.crt", "nohup.crt");
        Path key = copy("rsa-pkcs1.key", "nohup.key");
        List<String> command = new ArrayList<>(List.of("setsid", "sh", "-c", "trap '' HUP; exec \"$0\" \"$@\""));
        command.addAll(AmpedProcess.javaCommand(List.of(), root.toString(), "--port", "0", "--tls-cert", cert.toString(),
                "--tls-key", key.toString()));
        AmpedProcess amped = AmpedProcess.start(command, dir.resolve("nohup.stderr"));
        started.add(amped);
        assertTrue(amped.stderr().contains("reloaded instead when its files change"), amped.stderr());
        SSLContext both = trusting("rsa.crt", "ec.crt");
        assertEquals(fingerprint("rsa.crt"), fingerprint(peerCertificate(amped.port, both)));
        Files.copy(dir.resolve("ec-sec1.key"), key, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(dir.resolve("ec.crt"), cert, StandardCopyOption.REPLACE_EXISTING);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> fingerprint(peerCertificate(amped.port, both)).equals(fingerprint("ec.crt")));
        assertEquals(0, amped.terminate(20), amped.stderr());
    }

    /** Copies (or overwrites) a file of the test directory: certificate files being replaced. */
    private static Path copy(String from, String to) throws IOException {
        return Files.copy(dir.resolve(from), dir.resolve(to), StandardCopyOption.REPLACE_EXISTING);
    }

    private static void hangup(AmpedProcess amped) throws Exception {
        Process hup = new ProcessBuilder("kill", "-HUP", Long.toString(amped.pid())).start();
        assertTrue(hup.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, hup.exitValue());
    }

    private static HttpClient client(SSLContext trust) {
        return HttpClient.newBuilder().sslContext(trust).proxy(HttpClient.Builder.NO_PROXY)
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    private static X509Certificate certificate(String file) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(dir.resolve(file))));
    }

    private static SSLContext trusting(String... files) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        for (String f : files) {
            ks.setCertificateEntry(f, certificate(f));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, tmf.getTrustManagers(), null);
        return c;
    }

    /** Trusts whatever the server shows: for looking at a certificate, never for data. */
    private static SSLContext trustAll() throws Exception {
        javax.net.ssl.X509TrustManager any = new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, new javax.net.ssl.TrustManager[] {any}, null);
        return c;
    }

    private static X509Certificate peerCertificate(int port, SSLContext trust) throws IOException {
        try (SSLSocket s = (SSLSocket) trust.getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.startHandshake();
            return (X509Certificate) s.getSession().getPeerCertificates()[0];
        }
    }

    private static String fingerprint(String file) throws Exception {
        return fingerprint(certificate(file));
    }

    private static String fingerprint(X509Certificate c) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
    }

    /** External programs, run bounded in time in a directory, without proxies. */
    static final class Tools {
        static boolean installed(String name) {
            for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
                if (!d.isEmpty() && Files.isExecutable(Path.of(d, name))) {
                    return true;
                }
            }
            return false;
        }

        static void run(Path in, String... command) throws Exception {
            output(in, command);
        }

        static String output(Path in, String... command) throws Exception {
            Result r = exec(in, command);
            assertEquals(0, r.exit, String.join(" ", command) + ":\n" + r.output);
            return r.output;
        }

        /** openssl s_client with nothing to send: what it printed, whether or not the handshake worked. */
        static String sClient(Path in, String... args) throws Exception {
            List<String> command = new ArrayList<>(List.of("openssl", "s_client"));
            command.addAll(List.of(args));
            return exec(in, command.toArray(String[]::new)).output;
        }

        record Result(int exit, String output) {
        }

        private static Result exec(Path in, String... command) throws Exception {
            ProcessBuilder pb = new ProcessBuilder(command).directory(in.toFile()).redirectErrorStream(true);
            pb.environment().put("HOME", in.toString());
            pb.environment().keySet().removeIf(k -> k.toLowerCase(java.util.Locale.ROOT).endsWith("_proxy"));
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", command) + " did not finish in 60 s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        }
    }
}
