package amped.core.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The lines of an htpasswd file ({@code user:hash}, as Apache's {@code htpasswd -B} writes them) as
 * credentials. Only bcrypt hashes ({@code $2y$}, {@code $2b$}, {@code $2a$}) are taken: the other formats
 * htpasswd knows (MD5 {@code $apr1$}, SHA-1, crypt) are too cheap to guess. Empty lines and lines starting
 * with {@code #} are skipped. Pure: the caller reads the file.
 */
public final class Htpasswd {

    /** $2y$10$ then 53 characters of bcrypt's base64 (salt and hash). */
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");

    private Htpasswd() {
    }

    /** The credentials of the file's lines; throws {@link IllegalArgumentException} naming the first bad line. */
    public static List<Credential> parse(List<String> lines) {
        List<Credential> credentials = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            String where = "line " + (i + 1);
            if (colon <= 0) {
                throw new IllegalArgumentException(where + " is not user:hash");
            }
            String user = line.substring(0, colon);
            String hash = line.substring(colon + 1);
            if (!BCRYPT.matcher(hash).matches()) {
                throw new IllegalArgumentException(where + " (user " + user + ") has no bcrypt hash"
                        + (hash.startsWith("$apr1$") || hash.startsWith("{SHA}") ? " (it is MD5 or SHA-1)" : ""));
            }
            credentials.add(new Credential.Bcrypt(user, hash));
        }
        if (credentials.isEmpty()) {
            throw new IllegalArgumentException("no user in it");
        }
        return credentials;
    }

    /** The user named twice among {@code credentials}, or null when each is there once. */
    public static String duplicateUser(List<Credential> credentials) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Credential c : credentials) {
            if (!seen.add(c.user())) {
                return c.user();
            }
        }
        return null;
    }
}
