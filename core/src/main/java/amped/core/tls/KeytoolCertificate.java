package amped.core.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate made by the JDK's own {@code keytool}, run once at start: an EC P-256 key and a
 * certificate for localhost and the given names and addresses, in a PKCS#12 keystore read back into memory.
 * The file lives a moment in a private temporary directory and is deleted.
 */
final class KeytoolCertificate {

    private static final long TIMEOUT_SECONDS = 60;

    private KeytoolCertificate() {
    }

    static KeyStore make(List<String> hosts, char[] password) throws IOException, GeneralSecurityException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        if (!Files.isExecutable(keytool)) {
            throw new IOException("no keytool next to this Java (" + keytool + ") to make a self-signed certificate");
        }
        Path dir = Files.createTempDirectory("amped-tls");
        Path store = dir.resolve("self-signed.p12");
        try {
            List<String> command = List.of(keytool.toString(), "-genkeypair", "-noprompt", "-alias", "amped",
                    "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA", "-validity", "365",
                    "-dname", "CN=localhost", "-ext", "SAN=" + subjectAltNames(hosts),
                    "-storetype", "PKCS12", "-keystore", store.toString(),
                    "-storepass:env", "AMPED_SELF_SIGNED_PASSWORD", "-keypass:env", "AMPED_SELF_SIGNED_PASSWORD");
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().put("AMPED_SELF_SIGNED_PASSWORD", new String(password));
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("keytool could not make a self-signed certificate: "
                        + new String(output, StandardCharsets.UTF_8).strip());
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(store)) {
                ks.load(in, password);
            }
            return ks;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while making a self-signed certificate", e);
        } finally {
            Files.deleteIfExists(store);
            Files.deleteIfExists(dir);
        }
    }

    /** keytool's SAN extension value: dns:localhost,ip:127.0.0.1,... for every host, each once. */
    static String subjectAltNames(List<String> hosts) {
        List<String> names = new ArrayList<>(List.of("dns:localhost", "ip:127.0.0.1", "ip:::1"));
        for (String h : hosts) {
            String name = isAddress(h) ? "ip:" + stripZone(h) : "dns:" + h;
            if (!names.contains(name) && h.chars().allMatch(c -> c > 0x20 && c < 0x7F && c != ',')) {
                names.add(name);
            }
        }
        return String.join(",", names);
    }

    private static boolean isAddress(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || c >= '0' && c <= '9');
    }

    private static String stripZone(String address) {
        int zone = address.indexOf('%');
        String plain = zone < 0 ? address : address.substring(0, zone);
        try {
            return InetAddress.getByName(plain).getHostAddress();
        } catch (IOException e) {
            return plain;
        }
    }

    static char[] randomPassword() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b).toCharArray();
    }
}
