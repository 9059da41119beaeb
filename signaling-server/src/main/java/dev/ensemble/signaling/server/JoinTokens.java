package dev.ensemble.signaling.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ensemble.transport.PeerId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed join tokens: a deployment's backend decides who may enter a room and hands the peer a token;
 * the signaling server only checks the signature, the room, the peer and the expiry.
 *
 * <p>A token is a JSON Web Token signed with HMAC-SHA256 ({@code alg} {@code HS256}), so any JWT library
 * can mint one: {@code base64url(header) "." base64url(claims) "." base64url(HMAC-SHA256(secret, header "." claims))}
 * without padding, where the header is {@code {"alg":"HS256","typ":"JWT"}} and the claims are
 * {@code room} (required, the room it opens), {@code exp} (required, expiry in unix seconds) and
 * {@code sub} (optional, the only {@code did:key} that may use it; absent means any peer).
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * JoinTokens tokens = new JoinTokens(secret, Clock.systemUTC());
 * String token = tokens.issue("piano-lobby", alice.peerId(), Duration.ofMinutes(10));
 * tokens.verify(token, "piano-lobby", alice.peerId());   // throws InvalidTokenException if not valid
 * }</pre>
 */
public final class JoinTokens {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final String HEADER =
            B64URL.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    /** Tokens are short; this bounds the work a hostile token can cause. */
    private static final int MAX_TOKEN_LENGTH = 2048;

    private final SecretKeySpec key;
    private final Clock clock;

    /** Tokens signed and checked with {@code secret}; {@code clock} gives "now" for expiry. */
    public JoinTokens(String secret, Clock clock) {
        Objects.requireNonNull(secret, "secret");
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Mints a token for {@code room}, usable by {@code peer} only (or by anyone if null), for {@code validFor}.
     */
    public String issue(String room, PeerId peer, Duration validFor) {
        ObjectNode claims = JSON.createObjectNode()
                .put("room", Objects.requireNonNull(room, "room"))
                .put("exp", clock.instant().plus(validFor).getEpochSecond());
        if (peer != null) {
            claims.put("sub", peer.toString());
        }
        String signingInput;
        try {
            signingInput = HEADER + "." + B64URL.encodeToString(JSON.writeValueAsBytes(claims));
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree built in memory could not be written", e);
        }
        return signingInput + "." + B64URL.encodeToString(sign(signingInput));
    }

    /**
     * Checks that {@code token} is genuine, opens {@code room} for {@code peer}, and has not expired.
     *
     * @throws InvalidTokenException naming the first check that failed
     */
    public void verify(String token, String room, PeerId peer) throws InvalidTokenException {
        if (token == null) {
            throw new InvalidTokenException("room '" + room + "' requires a join token; ask the application for one");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw new InvalidTokenException(
                    "join token must be at most " + MAX_TOKEN_LENGTH + " characters but has " + token.length());
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new InvalidTokenException("join token must have 3 dot-separated parts but has " + parts.length);
        }
        byte[] signature;
        JsonNode header;
        JsonNode claims;
        try {
            signature = Base64.getUrlDecoder().decode(parts[2]);
            header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IllegalArgumentException | IOException e) {
            throw new InvalidTokenException("join token is not base64url-encoded JSON: " + e.getMessage());
        }
        if (header == null || !"HS256".equals(header.path("alg").asText())) {
            throw new InvalidTokenException("join token must be signed with alg HS256 but its header is " + header);
        }
        if (!MessageDigest.isEqual(sign(parts[0] + "." + parts[1]), signature)) {
            throw new InvalidTokenException("join token signature is not valid for this server's secret");
        }
        if (claims == null
                || !claims.path("room").isTextual()
                || !claims.path("exp").canConvertToLong()) {
            throw new InvalidTokenException("join token must carry the claims 'room' (string) and 'exp' (number)");
        }
        if (!claims.path("room").asText().equals(room)) {
            throw new InvalidTokenException(
                    "join token is for room '" + claims.path("room").asText() + "', not for '" + room + "'");
        }
        Instant expiry = Instant.ofEpochSecond(claims.path("exp").asLong());
        Instant now = clock.instant();
        if (!now.isBefore(expiry)) {
            throw new InvalidTokenException(
                    "join token expired at " + expiry + " (now " + now + "); ask for a new one");
        }
        JsonNode subject = claims.get("sub");
        if (subject != null && !subject.asText().equals(peer.toString())) {
            throw new InvalidTokenException(
                    "join token belongs to peer '" + subject.asText() + "', not to '" + peer + "'");
        }
    }

    private byte[] sign(String signingInput) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java platform but is missing", e);
        }
    }

    /** A join token failed verification; the message says which check failed and is sent to the peer. */
    public static final class InvalidTokenException extends Exception {

        /** Creates the exception with a message naming the failed check. */
        public InvalidTokenException(String message) {
            super(message);
        }
    }
}
