package amped.core.server;

import amped.core.DiskJobHandler;
import amped.core.IoCompletions;
import amped.core.auth.Credential;
import amped.protocol.auth.BasicCredentials;
import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks the credentials of a request against {@code --auth} and {@code --auth-file}. A password given on
 * the command line is a constant-time comparison of digests, done on the dispatcher (a microsecond). A
 * bcrypt hash costs 50–100 ms, so it is checked on a hasher thread of its own and the verdict comes back
 * as an event; a success is remembered for {@link #REMEMBER_NANOS} under a keyed hash of user and
 * password, so a keep-alive connection or a page's many requests pay it once. An unknown user costs what
 * a known one does, so that timing does not tell which users exist. Shared by all dispatchers.
 */
final class Authenticator implements AutoCloseable {

    enum Verdict {
        ALLOWED,
        DENIED,
        /** Too many bcrypt checks waiting already (a guessing flood): 503, try again later. */
        BUSY
    }

    static final String REALM = "amped";
    static final long REMEMBER_NANOS = 60_000_000_000L;
    /** Successes remembered at once; beyond, expired ones go, and if none has, nothing new is kept. */
    static final int REMEMBERED_MAX = 1024;
    /** bcrypt checks waiting or running at once, all dispatchers together. */
    static final int PENDING_MAX = 64;

    private final Map<String, Credential> users = new HashMap<>();
    /** What an unknown user is checked against, so that it costs what a known one does. */
    private final Credential decoy;
    private final Map<ByteBuffer, Long> remembered = new ConcurrentHashMap<>();
    private final byte[] rememberKey = new byte[32];
    private final ExecutorService hashers;
    private final AtomicInteger pending = new AtomicInteger();
    private final BCrypt.Verifyer bcrypt = BCrypt.verifyer(BCrypt.Version.VERSION_2Y,
            LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2Y));

    Authenticator(List<Credential> credentials) {
        for (Credential c : credentials) {
            users.put(c.user(), c);
        }
        new SecureRandom().nextBytes(rememberKey);
        Credential anyHash = credentials.stream().filter(c -> c instanceof Credential.Bcrypt).findFirst().orElse(null);
        decoy = anyHash != null ? anyHash : Credential.plain("", "never a password: its digest is compared only");
        hashers = anyHash == null ? null : Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors() / 2),
                Thread.ofPlatform().name("amped-auth-", 0).daemon().factory());
    }

    /**
     * Tells {@code then} on the dispatcher whether {@code credentials} (null: none or malformed) let the
     * request in: at once when no bcrypt is needed, else when a hasher thread has checked.
     */
    void check(BasicCredentials credentials, IoCompletions io, Consumer<Verdict> then, Consumer<Throwable> failed) {
        if (credentials == null) {
            then.accept(Verdict.DENIED);
            return;
        }
        Credential known = users.get(credentials.user());
        Credential against = known != null ? known : decoy;
        switch (against) {
            case Credential.Plain plain -> {
                byte[] digest = Credential.sha256(credentials.password().getBytes(StandardCharsets.UTF_8));
                boolean same = MessageDigest.isEqual(digest, plain.passwordDigest());
                then.accept(same && known != null ? Verdict.ALLOWED : Verdict.DENIED);
            }
            case Credential.Bcrypt hashed -> {
                ByteBuffer key = rememberKey(credentials);
                Long until = remembered.get(key);
                if (known != null && until != null && until - System.nanoTime() > 0) {
                    then.accept(Verdict.ALLOWED);
                    return;
                }
                if (pending.incrementAndGet() > PENDING_MAX) {
                    pending.decrementAndGet();
                    then.accept(Verdict.BUSY);
                    return;
                }
                io.runOnDiskHelper(hashers, () -> {
                    try {
                        boolean ok = verify(credentials, hashed) && known != null;
                        if (ok) {
                            remember(key);
                        }
                        return ok ? Verdict.ALLOWED : Verdict.DENIED;
                    } finally {
                        pending.decrementAndGet();
                    }
                }, new DiskJobHandler<>() {
                    @Override
                    public void onDiskJobDone(Verdict verdict) {
                        then.accept(verdict);
                    }

                    @Override
                    public void onDiskJobFailed(Throwable failure) {
                        failed.accept(failure);
                    }

                    @Override
                    public void handlerFailed(Throwable failure) {
                        failed.accept(failure);
                    }
                });
            }
        }
    }

    /** Blocking: a hasher thread. */
    private boolean verify(BasicCredentials credentials, Credential.Bcrypt hashed) {
        try {
            return bcrypt.verify(credentials.passwordBytes(), hashed.hash().getBytes(StandardCharsets.US_ASCII)).verified;
        } catch (IllegalArgumentException e) {
            // a password bcrypt cannot take (empty, say): it matches no hash
            return false;
        }
    }

    private void remember(ByteBuffer key) {
        long now = System.nanoTime();
        if (remembered.size() >= REMEMBERED_MAX) {
            remembered.values().removeIf(until -> until - now <= 0);
            if (remembered.size() >= REMEMBERED_MAX) {
                return;
            }
        }
        remembered.put(key, now + REMEMBER_NANOS);
    }

    /** HMAC-SHA256 of user and password under a key made at start: what is remembered reveals neither. */
    private ByteBuffer rememberKey(BasicCredentials credentials) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(rememberKey, "HmacSHA256"));
            mac.update(credentials.user().getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return ByteBuffer.wrap(mac.doFinal(credentials.passwordBytes()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java has HmacSHA256", e);
        }
    }

    /** Successes remembered now (for tests). */
    int rememberedCount() {
        return remembered.size();
    }

    @Override
    public void close() {
        if (hashers != null) {
            hashers.shutdownNow();
        }
    }
}
