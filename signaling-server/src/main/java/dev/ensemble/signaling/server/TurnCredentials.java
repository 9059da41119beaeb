package dev.ensemble.signaling.server;

import dev.ensemble.transport.IceServer;
import dev.ensemble.transport.PeerId;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-limited TURN credentials in the scheme coturn checks with {@code use-auth-secret} (the "TURN REST
 * API"): {@code username = "<expiry unix seconds>:<peerId>"} and
 * {@code credential = base64(HMAC-SHA1(secret, username))}. The TURN server recomputes the HMAC with the
 * same {@code static-auth-secret} and refuses the credential after the expiry.
 *
 * <p>Stateless and thread-safe.
 *
 * <pre>{@code
 * IceServer turn = TurnCredentials.issue(List.of("turn:turn.example.org:3478"), secret, peer,
 *         Instant.now().plus(Duration.ofHours(24)));
 * }</pre>
 */
public final class TurnCredentials {

    private TurnCredentials() {}

    /** The username for {@code peer} valid until {@code expiry}. */
    public static String username(PeerId peer, Instant expiry) {
        return expiry.getEpochSecond() + ":" + peer;
    }

    /** base64 of HMAC-SHA1 over the UTF-8 username, keyed with the UTF-8 secret. */
    public static String credential(String secret, String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is required of every Java platform but is missing", e);
        }
    }

    /** An ICE server entry for {@code urls} with credentials for {@code peer} valid until {@code expiry}. */
    public static IceServer issue(List<String> urls, String secret, PeerId peer, Instant expiry) {
        String username = username(peer, expiry);
        return new IceServer(urls, username, credential(secret, username));
    }
}
