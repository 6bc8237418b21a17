package amped.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Turns option values into settings. Every refusal is in the user's words: it names the option (or the
 * environment variable it came from) and the value as typed, says why it is refused and what is expected.
 */
final class Values {

    private final List<String> args;
    private final Map<String, String> environment;

    Values(String[] args, Map<String, String> environment) {
        this.args = List.of(args);
        this.environment = environment;
    }

    /** Whether {@code option} was given on the command line (else its value came from the environment or the default). */
    private boolean onCommandLine(String option) {
        return args.stream().anyMatch(a -> a.equals(option) || a.startsWith(option + "="));
    }

    /** {@code --chunk-size 12q}, or {@code AMPED_CHUNK_SIZE=12q} when the value came from there. */
    String where(String option, String value) {
        String variable = EnvironmentDefaults.variableFor(option);
        if (!onCommandLine(option) && environment.containsKey(variable)) {
            return variable + "=" + shown(value);
        }
        return option + " " + shown(value);
    }

    /**
     * Where a value whose text must not be shown (a password) came from: the option, or the environment
     * variable that stood in for it.
     */
    String source(String option) {
        String variable = EnvironmentDefaults.variableFor(option);
        return !onCommandLine(option) && environment.containsKey(variable) ? variable : option;
    }

    /** A flag, as given: {@code --status-public} or {@code AMPED_STATUS_PUBLIC=true}. */
    String flag(String option) {
        String variable = EnvironmentDefaults.variableFor(option);
        return !onCommandLine(option) && environment.containsKey(variable)
                ? variable + "=" + shown(environment.get(variable)) : option;
    }

    /** A variable of the environment amped was started with, or null. */
    String environment(String variable) {
        return environment.get(variable);
    }

    IllegalArgumentException bad(String option, String value, String why, String expected) {
        return new IllegalArgumentException(where(option, value) + ": " + why + "; expected " + expected);
    }

    long size(String option, String value) {
        try {
            return Sizes.parse(value);
        } catch (IllegalArgumentException e) {
            throw bad(option, value, e.getMessage(), Sizes.EXPECTED);
        }
    }

    /** A size that must fit an int (at most 1g) and be at least {@code min}. */
    int intSize(String option, String value, long min, String minText) {
        long bytes = size(option, value);
        if (bytes < min) {
            throw bad(option, value, "too small", minText);
        }
        if (bytes > Integer.MAX_VALUE / 2) {
            throw bad(option, value, option + " is too large", "at most 1g");
        }
        return (int) bytes;
    }

    Duration duration(String option, String value, boolean zeroAllowed) {
        Duration d;
        try {
            d = Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw bad(option, value, e.getMessage(), Durations.EXPECTED);
        }
        if (d.isZero() && !zeroAllowed) {
            throw bad(option, value, option + " must be greater than zero", Durations.EXPECTED.replace("a duration", "a duration above 0"));
        }
        return d;
    }

    int integer(String option, String value, int min, int max, String expected) {
        String s = value.trim();
        if (s.isEmpty() || !s.chars().allMatch(c -> c >= '0' && c <= '9' || c == '-')
                || s.lastIndexOf('-') > 0 || s.equals("-")) {
            throw bad(option, value, "not a whole number", expected);
        }
        long n;
        try {
            n = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw bad(option, value, "out of range", expected);
        }
        if (n < min || n > max) {
            throw bad(option, value, "out of range", expected);
        }
        return (int) n;
    }

    /** An address and port such as {@code 127.0.0.1:9090} or {@code [::1]:9090}. */
    InetSocketAddress socketAddress(String option, String value) {
        String expected = "an address and port such as 127.0.0.1:9090 ([::1]:9090 for IPv6)";
        String s = value.trim();
        int colon = s.lastIndexOf(':');
        String host = colon < 0 ? "" : s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw bad(option, value, "an IPv6 address needs brackets", expected);
        }
        if (colon < 0 || host.isEmpty()) {
            throw bad(option, value, colon < 0 ? "not an address and port" : "no address before the port", expected);
        }
        String port = s.substring(colon + 1);
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')
                || Integer.parseInt(port) > 65535) {
            throw bad(option, value, "the port is not a number from 0 to 65535", expected);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), Integer.parseInt(port));
        } catch (UnknownHostException e) {
            throw bad(option, value, "cannot resolve " + shown(host), "an address of this machine such as 127.0.0.1:9090");
        }
    }

    /** Why a status path is refused, or null when it is fine. */
    static String statusPathProblem(String path) {
        if (!path.startsWith("/") || path.length() < 2) {
            return "not an absolute path";
        }
        if (path.endsWith("/") || path.contains("//")) {
            return "a trailing or doubled slash";
        }
        if (path.contains("/./") || path.contains("/../") || path.endsWith("/.") || path.endsWith("/..")) {
            return "a . or .. segment";
        }
        if (!path.chars().allMatch(c -> c > 0x20 && c < 0x7F && c != '%' && c != '?' && c != '#')) {
            return "a space, %, ?, # or a character outside printable ASCII";
        }
        return null;
    }

    /** A value as the user typed it, quoted when it holds anything a shell would make ambiguous. */
    static String shown(String value) {
        if (value == null) {
            return "''";
        }
        if (!value.isEmpty() && value.chars().allMatch(c -> c > 0x20 && c < 0x7F && c != '\'' && c != '"' && c != '\\')) {
            return value;
        }
        StringBuilder b = new StringBuilder("'");
        for (char c : value.toCharArray()) {
            if (c < 0x20 || c == 0x7F) {
                b.append(String.format("\\x%02x", (int) c));
            } else if (c == '\'') {
                b.append("\\'");
            } else {
                b.append(c);
            }
        }
        return b.append('\'').toString();
    }

    /** The option whose name is closest to {@code typed} (at most two edits away), or null. */
    private static String nearest(String typed, CommandLine cli) {
        String name = typed.contains("=") ? typed.substring(0, typed.indexOf('=')) : typed;
        String best = null;
        int bestDistance = 3;
        for (OptionSpec o : cli.getCommandSpec().options()) {
            int d = distance(name, o.longestName());
            if (d < bestDistance) {
                bestDistance = d;
                best = o.longestName();
            }
        }
        return best;
    }

    /** Edit distance (insertions, deletions, substitutions, transpositions of neighbours). */
    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            for (int j = 0; j <= b.length(); j++) {
                if (i == 0 || j == 0) {
                    d[i][j] = i + j;
                    continue;
                }
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /** A command line picocli could not parse, in the user's words. */
    String describe(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException u) {
            String first = u.getUnmatched().isEmpty() ? "" : u.getUnmatched().get(0);
            if (first.startsWith("-") && first.length() > 1) {
                String near = nearest(first, u.getCommandLine());
                return "unknown option " + shown(first)
                        + (near == null ? "" : " (did you mean " + near + "?)")
                        + "; expected one of the options amped --help lists";
            }
            return "one directory at a time: " + shown(first) + " would be a second one; expected DIR once, then options";
        }
        if (e instanceof CommandLine.MissingParameterException m && !m.getMissing().isEmpty()
                && m.getMissing().get(0) instanceof OptionSpec o) {
            return o.longestName() + " needs a value; expected " + o.paramLabel();
        }
        if (e instanceof CommandLine.OverwrittenOptionException o && o.getOverwritten() instanceof OptionSpec spec) {
            return spec.longestName() + " is given more than once; expected it once";
        }
        ArgSpec arg = e.getArgSpec();
        if (arg instanceof OptionSpec o && e.getValue() != null) {
            boolean flag = o.type() == boolean.class || o.type() == Boolean.class;
            return where(o.longestName(), e.getValue()) + ": not accepted; expected "
                    + (flag ? "true or false" : o.paramLabel());
        }
        return Main.oneLine(e.getMessage()).replaceAll("\\s*\\((?:[a-z]+\\.)+[A-Z]\\w*: .*\\)$", "");
    }
}
