package amped.cli;

import amped.core.auth.Credential;
import amped.core.auth.Htpasswd;
import amped.core.server.ServerConfig;
import amped.protocol.ConfiguredField;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns the access and response options ({@code --auth}, {@code --auth-file}, {@code --header}, {@code --cors},
 * {@code --spa}, {@code --error-page}) into settings, refusing bad ones in the user's words like {@link Values}.
 * A password is never repeated in a refusal.
 */
final class AccessValues {

    private static final String HTPASSWD = "an htpasswd file of bcrypt hashes, as htpasswd -B writes it";

    private AccessValues() {
    }

    static ServerConfig.Builder apply(Options.Access a, Values v, ServerConfig.Builder builder) {
        List<Credential> users = new ArrayList<>();
        for (String pair : a.auth) {
            try {
                users.add(Credential.parsePair(pair));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(v.source("--auth") + ": " + e.getMessage() + "; expected USER:PASSWORD");
            }
        }
        if (a.authFile != null) {
            users.addAll(authFile(a.authFile, v));
        }
        String twice = Htpasswd.duplicateUser(users);
        if (twice != null) {
            throw new IllegalArgumentException(v.source("--auth") + ": the user " + Values.shown(twice)
                    + " is given more than once (in --auth or --auth-file); expected each user once");
        }
        for (String spec : a.header) {
            ConfiguredField field;
            try {
                field = ConfiguredField.parse(spec);
            } catch (IllegalArgumentException e) {
                throw v.bad("--header", spec, e.getMessage(), "'NAME: VALUE' such as 'X-Frame-Options: DENY'");
            }
            if (a.cors && field.name().toLowerCase(Locale.ROOT).startsWith("access-control-")) {
                throw v.bad("--header", spec, "--cors sets the CORS fields", "either --cors or Access-Control-* fields of your own");
            }
            builder.header(field.name(), field.value());
        }
        if (a.errorPage != null) {
            builder.errorPage(404, errorPage(a.errorPage, v));
        }
        return builder.credentials(users).cors(a.cors).spa(a.spa);
    }

    private static List<Credential> authFile(String file, Values v) {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
        } catch (InvalidPathException e) {
            throw v.bad("--auth-file", file, "not a valid path", HTPASSWD);
        } catch (CharacterCodingException e) {
            throw v.bad("--auth-file", file, "not UTF-8 text", HTPASSWD);
        } catch (IOException e) {
            throw v.bad("--auth-file", file, "cannot read it: " + Main.reason(e), HTPASSWD);
        }
        try {
            return Htpasswd.parse(lines);
        } catch (IllegalArgumentException e) {
            throw v.bad("--auth-file", file, e.getMessage(), HTPASSWD);
        }
    }

    /** {@code 404=PATH}: the path under DIR, with a leading slash. */
    private static String errorPage(String spec, Values v) {
        String expected = "404=PATH with PATH a file under DIR, such as 404=errors/404.html";
        int eq = spec.indexOf('=');
        if (eq < 0 || !spec.substring(0, eq).strip().equals("404")) {
            throw v.bad("--error-page", spec, eq < 0 ? "no status before =" : "only 404 can have a page", expected);
        }
        String path = spec.substring(eq + 1).strip();
        String absolute = path.startsWith("/") ? path : "/" + path;
        boolean dotSegment = List.of(absolute.substring(1).split("/", -1)).stream().anyMatch(p -> p.equals(".") || p.equals(".."));
        if (absolute.length() < 2 || absolute.endsWith("/") || absolute.contains("//") || dotSegment
                || absolute.chars().anyMatch(c -> c < 0x20 || c == 0x7F || c == '\\')) {
            throw v.bad("--error-page", spec, "not a file's path under DIR (empty, a trailing or doubled slash, a . or .."
                    + " segment, a backslash or a control character)", expected);
        }
        return absolute;
    }
}
