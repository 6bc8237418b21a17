package amped.fileio;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Run in a JVM of its own by {@link NamesUnderAPosixLocaleTest} (its locale fixes the JVM's file-name
 * encoding at start): resolves and lists the tree given, and prints what it got in ASCII.
 */
public final class NamesProbe {

    public static void main(String[] args) throws Exception {
        ServedTree tree = new ServedTree(Path.of(args[0]), ServedTree.Options.DEFAULTS);
        System.out.println("jnu=" + System.getProperty("sun.jnu.encoding"));
        System.out.println("mode=" + tree.mode());
        ServedTree.Resolution r = tree.resolve(List.of("caf\u00e9.txt"));
        System.out.println("resolve=" + r.getClass().getSimpleName());
        if (r instanceof ServedTree.Resolution.Found f) {
            byte[] content = tree.readWhole(f.handle(), f.info(), 100);
            System.out.println("content=" + (content == null ? null : new String(content, StandardCharsets.US_ASCII)));
            f.close();
        }
        try (ServedTree.Resolution.Found root = (ServedTree.Resolution.Found) tree.resolve(List.of())) {
            System.out.println("list=" + tree.list(root.handle()).stream()
                    .map(e -> URLEncoder.encode(e.name(), StandardCharsets.UTF_8)).sorted()
                    .collect(Collectors.joining(",")));
        }
    }
}
