package amped.core.server;

import amped.fileio.FileHandle;
import amped.fileio.ServedTree;
import amped.protocol.RequestTarget;
import amped.protocol.archive.ZipLayout;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A folder to send as a zip archive: every file and folder beneath it that a listing would show (the served
 * tree's rules: no dotfiles unless shown, no links leading outside, no devices, FIFOs or sockets), found by a
 * walk on a disk helper, and the archive's exact layout. Each file is opened again by its path when its turn
 * comes, resolved as a request would be, so what was checked is what is sent. What the walk holds is bounded:
 * a folder with more than fits {@code budget} (reckoned as a listing's entries) is not archived.
 *
 * @param fileName the name the archive is saved as: the folder's name and ".zip"
 * @param layout   the members in the order sent, and the bytes around them
 * @param paths    for each member, its path segments from the served root (null for folders)
 */
record FolderArchive(String fileName, ZipLayout layout, List<List<String>> paths) {

    /** A folder that did not fit the budget, or whose requester left. */
    static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        TooLargeException(String message) {
            super(message);
        }
    }

    /** Walks the folder {@code target} names, opened as {@code root}. Blocking (a disk helper). */
    static FolderArchive walk(ServedTree tree, RequestTarget target, FileHandle root, long budget, Interest interest)
            throws IOException {
        List<String> base = target.segments();
        String top = base.isEmpty() ? "files" : base.getLast();
        List<ZipLayout.Member> members = new ArrayList<>();
        List<List<String>> paths = new ArrayList<>();
        long[] cost = {0};
        walk(tree, root, base, top + "/", members, paths, budget, cost, interest);
        return new FolderArchive(top + ".zip", new ZipLayout(members), paths);
    }

    private static void walk(ServedTree tree, FileHandle directory, List<String> segments, String prefix,
                             List<ZipLayout.Member> members, List<List<String>> paths, long budget, long[] cost,
                             Interest interest) throws IOException {
        List<ServedTree.Entry> subdirectories = new ArrayList<>();
        boolean complete = tree.list(directory, e -> {
            if (interest.withdrawn()) {
                return false;
            }
            if (!RequestTarget.nameable(e.name())) {
                // a name no request could follow is not served, so not archived either
                return true;
            }
            cost[0] += Listings.ENTRY_OVERHEAD + 2L * (prefix.length() + e.name().length());
            if (cost[0] > budget) {
                return false;
            }
            List<String> path = new ArrayList<>(segments);
            path.add(e.name());
            if (e.directory()) {
                members.add(new ZipLayout.Member(prefix + e.name() + "/", true, 0, e.lastModifiedMillis()));
                paths.add(null);
                subdirectories.add(e);
            } else {
                members.add(new ZipLayout.Member(prefix + e.name(), false, e.size(), e.lastModifiedMillis()));
                paths.add(List.copyOf(path));
            }
            return true;
        });
        if (!complete) {
            throw new TooLargeException(interest.withdrawn() ? "nobody waits for it"
                    : "more than the listing memory holds (" + budget + " bytes)");
        }
        for (ServedTree.Entry sub : subdirectories) {
            List<String> path = new ArrayList<>(segments);
            path.add(sub.name());
            // resolved as a request would be: a folder swapped for a link meanwhile is not followed
            if (tree.resolve(path) instanceof ServedTree.Resolution.Found found) {
                try {
                    if (found.info().isDirectory()) {
                        walk(tree, found.handle(), path, prefix + sub.name() + "/", members, paths, budget, cost,
                                interest);
                    }
                } finally {
                    found.close();
                }
            }
        }
    }
}
