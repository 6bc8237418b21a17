package amped.protocol.encoding;

import amped.protocol.syntax.CommaList;
import amped.protocol.syntax.Weighted;
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

    private static final int NOT_LISTED = -1;

    public EncodingPreference {
        order = List.copyOf(order);
        if (order.stream().distinct().count() != order.size()) {
            throw new IllegalArgumentException("duplicate coding in " + order);
        }
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

        for (String element : CommaList.elements(acceptEncoding)) {
            Weighted member = Weighted.parse(element);
            if (member == null) {
                continue;
            }
            if (member.token().equals("*")) {
                starQ = lowest(starQ, member.q());
            } else {
                Optional<ContentCoding> coding = ContentCoding.fromToken(member.token());
                if (coding.isPresent()) {
                    int index = coding.get().ordinal();
                    explicitQ[index] = lowest(explicitQ[index], member.q());
                }
            }
        }

        List<Choice> weighted = new ArrayList<>();
        boolean implicitIdentity = false;
        for (ContentCoding coding : codings) {
            int q = explicitQ[coding.ordinal()];
            if (q == NOT_LISTED) {
                q = starQ;
            }
            if (q == NOT_LISTED) {
                implicitIdentity |= coding == ContentCoding.IDENTITY;
            } else if (q > 0) {
                weighted.add(new Choice(coding, q));
            }
        }
        // Stable tie-break by declaration order: BROTLI, GZIP, IDENTITY.
        weighted.sort(Comparator.comparingInt(Choice::q).reversed()
                .thenComparingInt(w -> w.coding().ordinal()));
        List<ContentCoding> order = new ArrayList<>(codings.length);
        for (Choice w : weighted) {
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

    private record Choice(ContentCoding coding, int q) {
    }
}
