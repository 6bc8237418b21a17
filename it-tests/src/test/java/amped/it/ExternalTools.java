package amped.it;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Programs the end-to-end tests run (curl, wget, aria2c, haproxy, varnishd): found on the PATH or in the
 * sbin directories, where Debian puts daemons and where a non-root PATH does not look. A test that needs
 * one is skipped only when it is missing; CI installs them all ({@code .ci/run}).
 */
final class ExternalTools {

    private ExternalTools() {
    }

    static Optional<Path> find(String name) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(File.pathSeparator)));
        }
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/local/sbin"));
        return dirs.stream().filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable).findFirst();
    }

    /** The program's path; skips the test, saying what to install, when it is not there. */
    static Path require(String name, String debianPackage) {
        Optional<Path> found = find(name);
        Assumptions.assumeTrue(found.isPresent(), name + " is not installed (apt-get install " + debianPackage
                + "; CI's .ci/run installs it)");
        return found.orElseThrow();
    }
}
