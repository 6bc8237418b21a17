package amped.fileio;

import amped.fileio.ServedTree.Options;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The served tree's rules on names and paths, shared by its resolvers and its listings: what a segment
 * may be, what is hidden, and whether a real path is one the tree may serve.
 */
final class TreePolicy {

    final Path root;
    final Options options;

    /** @param root the tree's real path */
    TreePolicy(Path root, Options options) {
        this.root = root;
        this.options = options;
    }

    /** Whether any of the segments is a name the policy hides. */
    boolean hidesAny(List<String> segments) {
        if (!options.showHidden()) {
            for (String segment : segments) {
                if (isHidden(segment)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The path the segments name beneath the root, by name only (nothing resolved). */
    Path lexical(List<String> segments) {
        Path p = root;
        for (String segment : segments) {
            p = p.resolve(segment);
        }
        return p;
    }

    /** The segments of a path beneath the root; null when it is not beneath it (or is the root). */
    List<String> segments(Path path) {
        if (path.equals(root) || !path.startsWith(root)) {
            return null;
        }
        List<String> segments = new ArrayList<>();
        for (Path part : root.relativize(path)) {
            segments.add(part.toString());
        }
        return segments;
    }

    /** Whether a real path may be served: beneath the root, and not hidden there unless shown. */
    boolean admits(Path real) {
        if (!real.startsWith(root)) {
            return false;
        }
        if (!options.showHidden()) {
            for (Path part : root.relativize(real)) {
                if (isHidden(part.toString())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether the name is hidden from clients unless shown (a dotfile). */
    boolean hides(String name) {
        return !options.showHidden() && isHidden(name);
    }

    static boolean plainName(String segment) {
        return !segment.isEmpty() && !segment.equals(".") && !segment.equals("..") && segment.indexOf('/') < 0
                && segment.indexOf('\0') < 0;
    }

    private static boolean isHidden(String name) {
        return name.startsWith(".");
    }
}
