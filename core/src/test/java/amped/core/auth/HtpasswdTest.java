package amped.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HtpasswdTest {

    /** Written by {@code htpasswd -nbB -C 4 alice 'wonder land'}. */
    static final String ALICE = "alice:$2y$04$RbphZP4PMb0zeTIE.01IpOHYK/XrA2yHqOjmfCkJzHhAnu.SFwUma";

    @Test
    void takesTheBcryptLinesHtpasswdWritesSkippingCommentsAndBlankLines() {
        List<Credential> users = Htpasswd.parse(List.of("# team", "", ALICE, "  bob:$2b$10$" + "a".repeat(53) + "  "));
        assertEquals(List.of("alice", "bob"), users.stream().map(Credential::user).toList());
        assertEquals(ALICE.substring(6), ((Credential.Bcrypt) users.get(0)).hash());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "alice                                               | line 1 is not user:hash",
        ":$2y$04$RbphZP4PMb0zeTIE.01IpOHYK/XrA2yHqOjmfCkJzHhAnu.SFwUma | line 1 is not user:hash",
        "carol:$apr1$x9d3RMbx$KpBlpOxl5xpCzPvB2JlrU.         | line 1 (user carol) has no bcrypt hash (it is MD5 or SHA-1)",
        "dave:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=              | line 1 (user dave) has no bcrypt hash (it is MD5 or SHA-1)",
        "erin:secret                                         | line 1 (user erin) has no bcrypt hash",
        "frank:$2y$04$short                                   | line 1 (user frank) has no bcrypt hash",
        "gina:$2y$99$RbphZP4PMb0zeTIE.01IpOHYK/XrA2yHqOjmfCkJzHhAnu.SFwUma | line 1 (user gina) has no bcrypt hash",
        "# only a comment                                    | no user in it",
    })
    void refusesWhatIsNotBcryptNamingTheLine(String line, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Htpasswd.parse(List.of(line)));
        assertEquals(message, e.getMessage());
    }

    @Test
    void aUserNamedTwiceIsFound() {
        assertNull(Htpasswd.duplicateUser(List.of(Credential.plain("a", "x"), Credential.plain("b", "x"))));
        assertEquals("a", Htpasswd.duplicateUser(List.of(Credential.plain("a", "x"), Htpasswd.parse(List.of(ALICE)).get(0),
                Credential.plain("a", "y"))));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "nocolon      | no colon between the user and the password",
        ":pw          | the user is empty",
        "user:        | the password is empty",
    })
    void aPairNeedsAUserAndAPassword(String pair, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> Credential.parsePair(pair)).getMessage());
    }

    @Test
    void aPasswordMayHoldColonsAndIsKeptAsADigestOnly() {
        Credential.Plain p = Credential.parsePair("u:a:b");
        assertEquals("u", p.user());
        assertTrue(java.util.Arrays.equals(Credential.plain("u", "a:b").passwordDigest(), p.passwordDigest()));
        assertTrue(!p.toString().contains("a:b"));
    }
}
