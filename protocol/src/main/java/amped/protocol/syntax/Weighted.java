package amped.protocol.syntax;

/**
 * A list member of the form {@code token [ weight ]} with {@code weight = OWS ";" OWS "q=" qvalue}
 * (RFC 9110 §12.4.2), as Accept-Encoding has them.
 *
 * @param token the token as sent (case is the caller's business)
 * @param q     the weight in thousandths, 0..{@value #Q_ONE}
 */
public record Weighted(String token, int q) {

    /** q-values have at most three decimals, so they are held in thousandths and 1 is 1000. */
    public static final int Q_ONE = 1000;

    /**
     * Parses one trimmed list member.
     *
     * @return the member, or null when it is empty, not a token, has an invalid qvalue or another parameter
     */
    public static Weighted parse(String member) {
        int i = Tokens.skipToken(member, 0);
        if (i == 0) {
            return null; // empty element (tolerated, §5.6.1.2) or not a token
        }
        String token = member.substring(0, i);
        i = Ows.skip(member, i);
        if (i == member.length()) {
            return new Weighted(token, Q_ONE); // no weight means q=1
        }
        if (member.charAt(i) != ';') {
            return null;
        }
        i = Ows.skip(member, i + 1);
        if (i + 2 > member.length() || Character.toLowerCase(member.charAt(i)) != 'q'
                || member.charAt(i + 1) != '=') {
            return null;
        }
        int q = qvalue(member.substring(i + 2));
        return q < 0 ? null : new Weighted(token, q);
    }

    /** {@code qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )} in thousandths, or -1. */
    public static int qvalue(String s) {
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
}
