package amped.protocol.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BasicCredentialsTest {

    private static String basic(String userPass) {
        return "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1} / {2}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        // RFC 7617 §2's example: Aladdin / open sesame
        "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==       | Aladdin | open sesame",
        "basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==       | Aladdin | open sesame",
        "BASIC   QWxhZGRpbjpvcGVuIHNlc2FtZQ==     | Aladdin | open sesame",
        // a password may hold colons; the user-id ends at the first
        "Basic YTpiOmM=                            | a       | b:c",
        // empty password, empty user: parsed, and then let in by nobody
        "Basic YTo=                                | a       | ''",
        "Basic OmI=                                | ''      | b",
        // not Basic, no token, not base64, no colon, not UTF-8, a control character
        "Bearer QWxhZGRpbjpvcGVuIHNlc2FtZQ==      | null    | null",
        "Basic                                     | null    | null",
        "Basic !!!!                                | null    | null",
        "Basic YWxhZGRpbg==                        | null    | null",
        "Basic /w==                                | null    | null",
        "Basic YQlifGM6ZA==                        | null    | null",
        "QWxhZGRpbjpvcGVuIHNlc2FtZQ==             | null    | null",
    })
    void parses(String field, String user, String password) {
        BasicCredentials c = BasicCredentials.parse(field);
        if (user == null) {
            assertNull(c, field);
            return;
        }
        assertEquals(new BasicCredentials(user.equals("''") ? "" : user, password.equals("''") ? "" : password), c);
    }

    @Test
    void noFieldIsNoCredentials() {
        assertNull(BasicCredentials.parse(null));
    }

    @Test
    void utf8CredentialsAsCurlSendsThem() {
        BasicCredentials c = BasicCredentials.parse(basic("jürgen:pässwörd€"));
        assertEquals("jürgen", c.user());
        assertArrayEquals("pässwörd€".getBytes(StandardCharsets.UTF_8), c.passwordBytes());
    }

    @Test
    void theChallengeQuotesTheRealmAndNamesUtf8() {
        assertEquals("Basic realm=\"amped\", charset=\"UTF-8\"", BasicCredentials.challenge("amped"));
        assertEquals("Basic realm=\"a \\\"b\\\" \\\\c\", charset=\"UTF-8\"", BasicCredentials.challenge("a \"b\" \\c"));
    }

    @Test
    void thePasswordIsNeverPrinted() {
        assertFalse(new BasicCredentials("u", "hunter2").toString().contains("hunter2"));
    }

    @Property
    void whatCurlEncodesIsWhatIsParsed(@ForAll("users") String user, @ForAll("passwords") String password) {
        assertEquals(new BasicCredentials(user, password), BasicCredentials.parse(basic(user + ":" + password)));
    }

    @Property
    void anyFieldValueParsesOrIsRefusedWithoutThrowing(@ForAll String field) {
        BasicCredentials.parse(field);
        BasicCredentials.parse("Basic " + field);
    }

    @Provide
    Arbitrary<String> users() {
        return Arbitraries.strings().ofMaxLength(20).filter(s -> s.indexOf(':') < 0 && noControls(s) && isUtf8Safe(s));
    }

    @Provide
    Arbitrary<String> passwords() {
        return Arbitraries.strings().ofMaxLength(40).filter(s -> noControls(s) && isUtf8Safe(s));
    }

    private static boolean noControls(String s) {
        return s.chars().noneMatch(c -> c < 0x20 || c == 0x7F);
    }

    /** Lone surrogates do not survive UTF-8; nothing a client can send holds one. */
    private static boolean isUtf8Safe(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(s);
    }
}
