package amped.protocol.encoding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The content codings a client accepts, among those this server can send, in the order to try them
 * (RFC 9110 §12.5.3). The file layer serves the first one for which a representation exists.
 *
 * @param order acceptable codings, most preferred first; immutable, no duplicates; empty when nothing is acceptable
 */
public record EncodingPreference(List<ContentCoding> order) {

    private static final EncodingPreference IDENTITY_ONLY = new EncodingPreference(List.of(ContentCoding.IDENTITY));

    /** q-values are held in thousandths (§12.4.2 allows at most three decimals), so 1 is 1000. */
    private static final int Q_ONE = 1000;
    private static final int NOT_LISTED = -1;

    public EncodingPreference {
        order = List.copyOf(order);
        if (order.stream().distinct().count() != order.size()) {
            throw new IllegalArgumentException("duplicate coding in " + order);
        }
    }

    /** True when the client refuses every coding we have, identity included: answer 406 (§12.5.3, §15.5.7). */
    public boolean nothingAcceptable() {
        return order.isEmpty();
    }

    public boolean accepts(ContentCoding coding) {
        return order.contains(coding);
    }

    /**
     * Parses an Accept-Encoding field value.
     *
     * <ul>
     *   <li>Absent (null): §12.5.3 would allow any coding, but a client that did not ask for one may not be able to
     *       decode it, so only identity is offered.</li>
     *   <li>Empty: the client wants no content coding (§12.5.3), so identity only.</li>
     *   <li>Members are {@code coding [ OWS ";" OWS "q=" qvalue ]}; coding names and the "q" are case-insensitive;
     *       a member with an invalid qvalue, any other parameter, or an invalid name is ignored; unknown codings
     *       are ignored; "x-gzip" means gzip (§8.4.1.3).</li>
     *   <li>A coding listed more than once gets its lowest q: if the client refused it anywhere, honour that.</li>
     *   <li>{@code *} gives its q to every coding not listed explicitly, identity included.</li>
     *   <li>Identity is acceptable unless excluded by {@code identity;q=0} or by {@code *;q=0} without an
     *       explicit identity member. If neither identity nor {@code *} is listed, identity is the implicit
     *       fallback and is tried after every coding the client listed, whatever their q: listing a coding at all
     *       is the client asking for it, and serving precompressed files is the point of consulting this.</li>
     *   <li>Order: higher q first; equal q resolved br, gzip, identity (compressed wins ties).</li>
     * </ul>
     */
    public static EncodingPreference parse(String acceptEncoding) {
        if (acceptEncoding == null) {
            return IDENTITY_ONLY;
        }
        ContentCoding[] codings = ContentCoding.values();
        int[] explicitQ = new int[codings.length];
        Arrays.fill(explicitQ, NOT_LISTED);
        int starQ = NOT_LISTED;

        int start = 0;
        while (start <= acceptEncoding.length()) {
            int comma = acceptEncoding.indexOf(',', start);
            int end = comma < 0 ? acceptEncoding.length() : comma;
            Optional<Member> member = Member.parse(trimOws(acceptEncoding.substring(start, end)));
            if (member.isPresent()) {
                String name = member.get().coding();
                int q = member.get().q();
                if (name.equals("*")) {
                    starQ = lowest(starQ, q);
                } else {
                    Optional<ContentCoding> coding = ContentCoding.fromToken(name);
                    if (coding.isPresent()) {
                        int index = coding.get().ordinal();
                        explicitQ[index] = lowest(explicitQ[index], q);
                    }
                }
            }
            start = end + 1;
        }

        List<Weighted> weighted = new ArrayList<>();
        boolean implicitIdentity = false;
        for (ContentCoding coding : codings) {
            int q = explicitQ[coding.ordinal()];
            if (q == NOT_LISTED) {
                q = starQ;
            }
            if (q == NOT_LISTED) {
                implicitIdentity |= coding == ContentCoding.IDENTITY;
            } else if (q > 0) {
                weighted.add(new Weighted(coding, q));
            }
        }
        // Stable tie-break by declaration order: BROTLI, GZIP, IDENTITY.
        weighted.sort(Comparator.comparingInt(Weighted::q).reversed()
                .thenComparingInt(w -> w.coding().ordinal()));
        List<ContentCoding> order = new ArrayList<>(codings.length);
        for (Weighted w : weighted) {
            order.add(w.coding());
        }
        if (implicitIdentity) {
            order.add(ContentCoding.IDENTITY);
        }
        return new EncodingPreference(order);
    }

    private static int lowest(int current, int q) {
        return current == NOT_LISTED ? q : Math.min(current, q);
    }

    private record Weighted(ContentCoding coding, int q) {
    }

    /** One syntactically valid Accept-Encoding member: a coding name (or "*") and its q in thousandths. */
    private record Member(String coding, int q) {

        static Optional<Member> parse(String member) {
            int i = 0;
            while (i < member.length() && isTchar(member.charAt(i))) {
                i++;
            }
            if (i == 0) {
                return Optional.empty(); // empty element (tolerated, §5.6.1.2) or not a token
            }
            String coding = member.substring(0, i);
            i = skipOws(member, i);
            if (i == member.length()) {
                return Optional.of(new Member(coding, Q_ONE)); // no weight means q=1 (§12.4.2)
            }
            // weight = OWS ";" OWS "q=" qvalue
            if (member.charAt(i) != ';') {
                return Optional.empty();
            }
            i = skipOws(member, i + 1);
            if (i + 2 > member.length() || Character.toLowerCase(member.charAt(i)) != 'q'
                    || member.charAt(i + 1) != '=') {
                return Optional.empty();
            }
            int q = parseQvalue(member.substring(i + 2));
            return q < 0 ? Optional.empty() : Optional.of(new Member(coding, q));
        }

        /** {@code qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )} in thousandths, or -1. */
        private static int parseQvalue(String s) {
            if (s.isEmpty() || s.length() > 5 || (s.length() > 1 && s.charAt(1) != '.')) {
                return -1;
            }
            char whole = s.charAt(0);
            if (whole != '0' && whole != '1') {
                return -1;
            }
            int thousandths = 0;
            int scale = 100;
            for (int i = 2; i < s.length(); i++, scale /= 10) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
                thousandths += (c - '0') * scale;
            }
            if (whole == '1') {
                return thousandths == 0 ? Q_ONE : -1;
            }
            return thousandths;
        }

        private static boolean isTchar(char c) {
            return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
        }
    }

    private static int skipOws(String s, int from) {
        int i = from;
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static String trimOws(String s) {
        int from = skipOws(s, 0);
        int to = s.length();
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        return s.substring(from, to);
    }
}
