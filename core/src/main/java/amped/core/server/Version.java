package amped.core.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The build version, as Maven wrote it into amped-version.properties. */
public final class Version {

    public static final String VERSION = load();

    private Version() {
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("/amped-version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
