package amped.core.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * One user allowed in by basic authentication ({@code --auth}, {@code --auth-file}). A password given on
 * the command line is kept as its SHA-256 only, so that checking it is a constant-time comparison of two
 * digests of one length; a line of an htpasswd file keeps its bcrypt hash.
 */
public sealed interface Credential {

    String user();

    /** {@code --auth USER:PASSWORD}. */
    record Plain(String user, byte[] passwordDigest) implements Credential {
        @Override
        public String toString() {
            return "Plain[user=" + user + "]";
        }
    }

    /** A line {@code user:$2y$…} of an htpasswd file, as {@code htpasswd -B} writes it. */
    record Bcrypt(String user, String hash) implements Credential {
        @Override
        public String toString() {
            return "Bcrypt[user=" + user + "]";
        }
    }

    /** A user and password given as such. */
    static Plain plain(String user, String password) {
        return new Plain(user, sha256(password.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * {@code USER:PASSWORD} of {@code --auth}: the user is everything before the first colon, the password
     * the rest (which may hold colons). Throws {@link IllegalArgumentException} saying what is wrong.
     */
    static Plain parsePair(String pair) {
        int colon = pair.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("no colon between the user and the password");
        }
        String user = pair.substring(0, colon);
        String password = pair.substring(colon + 1);
        if (user.isEmpty() || password.isEmpty()) {
            throw new IllegalArgumentException(user.isEmpty() ? "the user is empty" : "the password is empty");
        }
        if (pair.chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
            throw new IllegalArgumentException("a control character in the user or the password");
        }
        return plain(user, password);
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
