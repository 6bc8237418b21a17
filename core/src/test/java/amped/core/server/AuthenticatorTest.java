package amped.core.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import amped.core.Dispatcher;
import amped.core.IoCompletions;
import amped.core.auth.Credential;
import amped.core.auth.Htpasswd;
import amped.protocol.auth.BasicCredentials;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {

    private final Dispatcher dispatcher = new Dispatcher("auth-test");
    private final IoCompletions io = new IoCompletions(dispatcher);
    private final Authenticator auth = new Authenticator(List.of(
            Htpasswd.parse(List.of("alice:$2y$04$RbphZP4PMb0zeTIE.01IpOHYK/XrA2yHqOjmfCkJzHhAnu.SFwUma")).get(0),
            Credential.plain("bob", "b0b")));

    @AfterEach
    void stop() throws InterruptedException {
        auth.close();
        dispatcher.stop();
        dispatcher.awaitStop(5, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** The verdict, and whether it came at once (within the call) rather than later as an event. */
    private record Answer(Authenticator.Verdict verdict, boolean atOnce, boolean onDispatcher) {
    }

    private Answer check(String user, String password) throws Exception {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        dispatcher.execute(() -> {
            boolean[] returned = {false};
            auth.check(user == null ? null : new BasicCredentials(user, password), io,
                    v -> answer.complete(new Answer(v, !returned[0], dispatcher.inDispatcherThread())),
                    answer::completeExceptionally);
            returned[0] = true;
        });
        return answer.get(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void aBcryptPasswordIsCheckedOffTheDispatcherAndRememberedOnceRight() throws Exception {
        assertEquals(new Answer(Authenticator.Verdict.ALLOWED, false, true), check("alice", "wonder land"));
        assertEquals(1, auth.rememberedCount());
        // the next request of the same user pays no bcrypt: answered within the call
        assertEquals(new Answer(Authenticator.Verdict.ALLOWED, true, true), check("alice", "wonder land"));
        // a wrong password is checked (and costs) every time, and never remembered
        assertEquals(new Answer(Authenticator.Verdict.DENIED, false, true), check("alice", "wonder"));
        assertEquals(new Answer(Authenticator.Verdict.DENIED, false, true), check("alice", "wonder"));
        assertEquals(1, auth.rememberedCount());
    }

    @Test
    void anUnknownUserCostsABcryptCheckLikeAKnownOne() throws Exception {
        assertEquals(new Answer(Authenticator.Verdict.DENIED, false, true), check("mallory", "wonder land"));
        assertEquals(0, auth.rememberedCount());
    }

    @Test
    void aPlainPasswordIsComparedAtOnce() throws Exception {
        assertEquals(new Answer(Authenticator.Verdict.ALLOWED, true, true), check("bob", "b0b"));
        assertEquals(new Answer(Authenticator.Verdict.DENIED, true, true), check("bob", "b0b "));
        assertEquals(new Answer(Authenticator.Verdict.DENIED, true, true), check(null, null));
    }

    @Test
    void aFloodOfGuessesIsToldToComeBackRatherThanQueuedWithoutBound() throws Exception {
        List<Authenticator.Verdict> verdicts = Collections.synchronizedList(new ArrayList<>());
        int guesses = Authenticator.PENDING_MAX * 3;
        dispatcher.execute(() -> {
            for (int i = 0; i < guesses; i++) {
                auth.check(new BasicCredentials("alice", "guess" + i), io, verdicts::add, e -> { });
            }
        });
        await().atMost(Duration.ofSeconds(60)).until(() -> verdicts.size() == guesses);
        long busy = verdicts.stream().filter(v -> v == Authenticator.Verdict.BUSY).count();
        long denied = verdicts.stream().filter(v -> v == Authenticator.Verdict.DENIED).count();
        assertEquals(guesses, busy + denied);
        assertEquals(true, busy >= guesses - Authenticator.PENDING_MAX, "busy " + busy);
    }
}
