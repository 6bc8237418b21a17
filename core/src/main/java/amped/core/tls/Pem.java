package amped.core.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PEM text (RFC 7468) to certificates and private keys. */
final class Pem {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");

    /** A block's label (CERTIFICATE, PRIVATE KEY, ...) and decoded content. */
    record Block(String label, byte[] der) {
    }

    private Pem() {
    }

    static List<Block> blocks(String text) {
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a " + m.group(1) + " block is not valid base64");
            }
            blocks.add(new Block(m.group(1), der));
        }
        return blocks;
    }

    /** The certificates of a chain, in file order (the server's own first). */
    static List<X509Certificate> certificates(String text) throws GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> chain = new ArrayList<>();
        for (Block b : blocks(text)) {
            if (b.label().equals("CERTIFICATE")) {
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der())));
            }
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("no certificate in it (expected -----BEGIN CERTIFICATE-----)");
        }
        return chain;
    }

    /** The one private key of the text: PKCS#8, PKCS#1 RSA or SEC1 EC. */
    static PrivateKey privateKey(String text) {
        for (Block b : blocks(text)) {
            switch (b.label()) {
                case "PRIVATE KEY" -> {
                    return pkcs8(b.der());
                }
                case "RSA PRIVATE KEY" -> {
                    return pkcs8(PrivateKeyDer.pkcs1ToPkcs8(b.der()));
                }
                case "EC PRIVATE KEY" -> {
                    return pkcs8(PrivateKeyDer.sec1ToPkcs8(b.der()));
                }
                case "ENCRYPTED PRIVATE KEY" -> throw new IllegalArgumentException("the key is encrypted; expected"
                        + " an unencrypted key (openssl pkey -in KEY -out PLAIN), or a PKCS#12 keystore with a password");
                default -> {
                    // EC PARAMETERS before an EC key, certificates in the same file: not the key
                }
            }
        }
        throw new IllegalArgumentException("no private key in it (expected -----BEGIN PRIVATE KEY-----,"
                + " RSA PRIVATE KEY or EC PRIVATE KEY)");
    }

    private static PrivateKey pkcs8(byte[] der) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException | RuntimeException e) {
                // the next algorithm
            }
        }
        throw new IllegalArgumentException("the private key is not an RSA, EC or EdDSA key this Java can read");
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
