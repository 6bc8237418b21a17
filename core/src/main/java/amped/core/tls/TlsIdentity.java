package amped.core.tls;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** Where the server's certificate and key come from. */
public sealed interface TlsIdentity {

    /** A PEM certificate chain (leaf first) and a PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC). */
    record PemFiles(Path certificate, Path key) implements TlsIdentity {
        public PemFiles {
            Objects.requireNonNull(certificate, "certificate");
            Objects.requireNonNull(key, "key");
        }
    }

    /** A PKCS#12 keystore holding one private key entry and its chain. */
    record Keystore(Path file, String password) implements TlsIdentity {
        public Keystore {
            Objects.requireNonNull(file, "file");
            password = password == null ? "" : password;
        }

        @Override
        public String toString() {
            return "Keystore[file=" + file + "]";
        }
    }

    /** A certificate made at start for these host names and addresses (localhost is always among them). */
    record SelfSigned(List<String> hosts) implements TlsIdentity {
        public SelfSigned {
            hosts = List.copyOf(hosts);
        }
    }
}
