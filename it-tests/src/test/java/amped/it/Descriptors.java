package amped.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** This process's open file descriptors, from Linux /proc: how the tests see that nothing leaked. */
final class Descriptors {

    private Descriptors() {
    }

    /** How many descriptors are open. */
    static long count() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    /** How many descriptors point at {@code file}. */
    static long of(Path file) throws IOException {
        Path real = file.toRealPath();
        return matching(target -> target.equals(real));
    }

    /** How many descriptors point at a deleted file named {@code name}. */
    static long ofDeleted(String name) throws IOException {
        return matching(target -> target.toString().endsWith(name + " (deleted)"));
    }

    private static long matching(Predicate<Path> target) throws IOException {
        List<Path> fds;
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            fds = s.toList();
        }
        long n = 0;
        for (Path fd : fds) {
            try {
                if (target.test(Files.readSymbolicLink(fd))) {
                    n++;
                }
            } catch (IOException gone) {
                // closed while we looked
            }
        }
        return n;
    }
}
