package amped.core.tls;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The two older private key encodings turned into PKCS#8, the one the JDK's KeyFactory reads: a PKCS#1
 * RSAPrivateKey (RFC 8017 A.1.2) and a SEC1 ECPrivateKey (RFC 5915), each wrapped unchanged in a
 * PrivateKeyInfo (RFC 5208) that names its algorithm (and, for EC, the curve from the key's parameters).
 */
final class PrivateKeyDer {

    private static final int SEQUENCE = 0x30;
    private static final int INTEGER = 0x02;
    private static final int OCTET_STRING = 0x04;
    private static final int OID = 0x06;
    private static final int PARAMETERS = 0xA0;
    /** AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL }. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0D, 0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xF7, 0x0D, 0x01, 0x01, 0x01, 0x05, 0x00};
    /** The OID id-ecPublicKey (1.2.840.10045.2.1), whole. */
    private static final byte[] EC_PUBLIC_KEY = {0x06, 0x07, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x02, 0x01};
    private static final byte[] VERSION_0 = {INTEGER, 0x01, 0x00};

    private PrivateKeyDer() {
    }

    static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
        requireSequence(pkcs1, "RSA private key");
        return tlv(SEQUENCE, VERSION_0, RSA_ALGORITHM, tlv(OCTET_STRING, pkcs1));
    }

    static byte[] sec1ToPkcs8(byte[] sec1) {
        byte[] curve = curveOf(sec1);
        return tlv(SEQUENCE, VERSION_0, tlv(SEQUENCE, EC_PUBLIC_KEY, curve), tlv(OCTET_STRING, sec1));
    }

    /** The named curve's OID (tag, length and value) from the [0] parameters of an ECPrivateKey. */
    private static byte[] curveOf(byte[] sec1) {
        int[] outer = requireSequence(sec1, "EC private key");
        int at = outer[0];
        int end = outer[0] + outer[1];
        while (at < end) {
            int tag = sec1[at] & 0xFF;
            int[] element = header(sec1, at, end);
            if (tag == PARAMETERS) {
                int inner = element[0];
                int[] oid = header(sec1, inner, element[0] + element[1]);
                if ((sec1[inner] & 0xFF) != OID) {
                    break;
                }
                return Arrays.copyOfRange(sec1, inner, oid[0] + oid[1]);
            }
            at = element[0] + element[1];
        }
        throw new IllegalArgumentException("the EC private key does not name its curve (expected a SEC1 key with"
                + " parameters, as openssl writes it, or a PKCS#8 key)");
    }

    /** Checks {@code der} is one whole SEQUENCE; returns its content's offset and length. */
    private static int[] requireSequence(byte[] der, String what) {
        if (der.length < 2 || (der[0] & 0xFF) != SEQUENCE) {
            throw new IllegalArgumentException("not a DER " + what);
        }
        int[] content = header(der, 0, der.length);
        if (content[0] + content[1] != der.length) {
            throw new IllegalArgumentException("not a DER " + what + " (trailing or missing bytes)");
        }
        return content;
    }

    /** The content offset and length of the element at {@code at}, which must end by {@code end}. */
    static int[] header(byte[] der, int at, int end) {
        if (at + 2 > end) {
            throw new IllegalArgumentException("truncated DER");
        }
        int first = der[at + 1] & 0xFF;
        int offset = at + 2;
        int length;
        if (first < 0x80) {
            length = first;
        } else {
            int count = first & 0x7F;
            if (count == 0 || count > 3 || offset + count > end) {
                throw new IllegalArgumentException("bad DER length");
            }
            length = 0;
            for (int i = 0; i < count; i++) {
                length = length << 8 | der[offset++] & 0xFF;
            }
        }
        if (length > end - offset) {
            throw new IllegalArgumentException("truncated DER");
        }
        return new int[] {offset, length};
    }

    /** One DER element: the tag, the length (short or long form), the parts one after another. */
    static byte[] tlv(int tag, byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 6);
        out.write(tag);
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = length < 0x100 ? 1 : length < 0x10000 ? 2 : 3;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> 8 * i);
            }
        }
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
