package amped.core.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * The server's TLS: its certificate and key, the engines made from them, and the helper threads that run
 * the expensive steps of handshakes. {@link #reload()} reads the certificate and key again; connections made
 * afterwards use the new ones, open ones keep theirs, and a pair that does not load leaves the old one.
 *
 * <p>The policy needs no tuning: TLS 1.3 and 1.2, AEAD cipher suites only, ALPN http/1.1, SNI accepted,
 * no renegotiation (TLS 1.3 has none; the JDK's TLS 1.2 refuses a client's), no compression (the JDK has none).
 */
public final class TlsContext implements AutoCloseable {

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    private static final String ALPN = "http/1.1";

    static {
        if (System.getProperty("jdk.tls.rejectClientInitiatedRenegotiation") == null) {
            // read once by the JDK when TLS is first used; nothing here renegotiates
            System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
        }
    }

    private final TlsIdentity identity;
    private final ExecutorService helpers;
    private volatile Loaded current;
    private final int recordSize;
    private final int plaintextSize;

    /** An SSLContext with the certificate chain it serves. */
    private record Loaded(SSLContext context, X509Certificate leaf, String[] cipherSuites) {
    }

    private TlsContext(TlsIdentity identity, Loaded loaded, int helperThreads) {
        this.identity = identity;
        this.current = loaded;
        AtomicInteger n = new AtomicInteger();
        this.helpers = Executors.newFixedThreadPool(helperThreads, r -> {
            Thread t = new Thread(r, "amped-tls-helper-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        SSLEngine probe = loaded.context().createSSLEngine();
        this.recordSize = probe.getSession().getPacketBufferSize();
        this.plaintextSize = probe.getSession().getApplicationBufferSize();
    }

    /** Loads the certificate and key (or makes the self-signed one); fails with a message naming the file and why. */
    public static TlsContext load(TlsIdentity identity) throws IOException {
        return new TlsContext(identity, loadOrExplain(identity), Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * Reads the certificate and key again (a renewed certificate, SIGHUP). On success later connections use
     * them; on failure the old ones stay and the exception says why. A self-signed certificate is kept.
     */
    public void reload() throws IOException {
        if (!(identity instanceof TlsIdentity.SelfSigned)) {
            current = loadOrExplain(identity);
        }
    }

    /** The SHA-256 fingerprint of the server's certificate, as AB:CD:..., what a browser shows. */
    public String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(current.leaf().getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The server's certificate now. */
    public X509Certificate certificate() {
        return current.leaf();
    }

    /** A server-side engine with the current certificate and the policy above. */
    SSLEngine newEngine() {
        Loaded l = current;
        SSLEngine engine = l.context().createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters p = engine.getSSLParameters();
        p.setProtocols(PROTOCOLS);
        p.setCipherSuites(l.cipherSuites());
        p.setUseCipherSuitesOrder(true);
        engine.setSSLParameters(p);
        // a client offering only other protocols (h2) still gets HTTP/1.1, without ALPN, rather than an alert
        engine.setHandshakeApplicationProtocolSelector((e, offered) -> offered.contains(ALPN) ? ALPN : "");
        return engine;
    }

    int recordSize() {
        return recordSize;
    }

    int plaintextSize() {
        return plaintextSize;
    }

    ExecutorService helpers() {
        return helpers;
    }

    @Override
    public void close() {
        helpers.shutdownNow();
    }

    private static Loaded loadOrExplain(TlsIdentity identity) throws IOException {
        try {
            return load(keyStore(identity), identity instanceof TlsIdentity.Keystore k ? k.password().toCharArray()
                    : SELF_SIGNED_PASSWORD);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(where(identity) + ": " + reason(e), e);
        } catch (IOException e) {
            throw new IOException(where(identity) + ": " + reason(e), e);
        }
    }

    private static final char[] SELF_SIGNED_PASSWORD = KeytoolCertificate.randomPassword();

    private static String where(TlsIdentity identity) {
        return switch (identity) {
            case TlsIdentity.PemFiles f -> "TLS certificate " + f.certificate() + " and key " + f.key();
            case TlsIdentity.Keystore k -> "TLS keystore " + k.file();
            case TlsIdentity.SelfSigned s -> "self-signed TLS certificate";
        };
    }

    private static String reason(Throwable e) {
        if (e instanceof java.nio.file.NoSuchFileException n) {
            return "no such file " + n.getFile();
        }
        if (e instanceof java.nio.file.AccessDeniedException a) {
            return "permission denied reading " + a.getFile();
        }
        if (e instanceof IOException && e.getCause() instanceof java.security.UnrecoverableKeyException) {
            return "wrong keystore password";
        }
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("\\b(?:[a-z]+\\.)+[A-Z]\\w*(?:Exception|Error): ?", "");
    }

    /** The identity as a keystore in memory, its key entry protected by the password {@link #loadOrExplain} uses. */
    private static KeyStore keyStore(TlsIdentity identity) throws IOException, GeneralSecurityException {
        return switch (identity) {
            case TlsIdentity.PemFiles f -> {
                List<X509Certificate> chain = Pem.certificates(Files.readString(f.certificate(),
                        java.nio.charset.StandardCharsets.ISO_8859_1));
                PrivateKey key = Pem.privateKey(Files.readString(f.key(), java.nio.charset.StandardCharsets.ISO_8859_1));
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("amped", key, SELF_SIGNED_PASSWORD, chain.toArray(new Certificate[0]));
                yield ks;
            }
            case TlsIdentity.Keystore k -> {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                try (var in = Files.newInputStream(k.file())) {
                    ks.load(in, k.password().toCharArray());
                }
                yield ks;
            }
            case TlsIdentity.SelfSigned s -> KeytoolCertificate.make(s.hosts(), SELF_SIGNED_PASSWORD);
        };
    }

    private static Loaded load(KeyStore ks, char[] password) throws GeneralSecurityException {
        String alias = null;
        for (String a : Collections.list(ks.aliases())) {
            if (ks.isKeyEntry(a)) {
                if (alias != null) {
                    throw new IllegalArgumentException("more than one private key in it; expected one");
                }
                alias = a;
            }
        }
        if (alias == null) {
            throw new IllegalArgumentException("no private key in it");
        }
        PrivateKey key = (PrivateKey) ks.getKey(alias, password);
        Certificate[] chain = ks.getCertificateChain(alias);
        if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
            throw new IllegalArgumentException("no certificate for its private key");
        }
        requireMatch(key, leaf);
        // SunX509 keeps the key in memory once read; PKIX would decrypt it from the keystore at every handshake
        // (a PBKDF2 of thousands of rounds: most of a handshake's time). One certificate needs no alias choice.
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
        kmf.init(ks, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        String[] suites = Arrays.stream(context.getSupportedSSLParameters().getCipherSuites())
                .filter(TlsContext::aead)
                .toArray(String[]::new);
        return new Loaded(context, leaf, suites);
    }

    /** TLS 1.3's suites, and TLS 1.2's with ECDHE and an AEAD cipher (GCM, ChaCha20-Poly1305). */
    static boolean aead(String suite) {
        boolean cipher = suite.contains("_GCM_") || suite.contains("CHACHA20_POLY1305");
        return cipher && (suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_")
                || suite.startsWith("TLS_ECDHE_"));
    }

    /** The key must be the certificate's: a signature made with it verifies with the certificate's public key. */
    private static void requireMatch(PrivateKey key, X509Certificate leaf) throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            case "RSASSA-PSS" -> null;
            default -> throw new IllegalArgumentException("a " + key.getAlgorithm() + " key, expected RSA, EC or EdDSA");
        };
        if (algorithm == null) {
            return;
        }
        byte[] probe = "amped key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        boolean matches;
        try {
            Signature sign = Signature.getInstance(algorithm);
            sign.initSign(key);
            sign.update(probe);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance(algorithm);
            verify.initVerify(leaf.getPublicKey());
            verify.update(probe);
            matches = verify.verify(signature);
        } catch (java.security.InvalidKeyException e) {
            matches = false;
        }
        if (!matches) {
            throw new IllegalArgumentException("the private key does not belong to the certificate");
        }
    }
}
