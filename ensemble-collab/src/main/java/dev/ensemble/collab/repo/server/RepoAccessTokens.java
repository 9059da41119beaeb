package dev.ensemble.collab.repo.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ensemble.collab.repo.DocumentId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Capability tokens for a {@link RepoSyncServer}: the application's backend decides which documents
 * a user may open and hands the user's web page (or Java program) a token; the sync server only
 * checks the signature, the expiry and the documents.
 *
 * <h2>Format</h2>
 * A JSON Web Token signed with HMAC-SHA256 ({@code alg} {@code HS256}), so any JWT library can mint
 * one: {@code base64url(header) "." base64url(claims) "." base64url(HMAC-SHA256(secret, header "."
 * claims))}, without padding. Claims:
 * <ul>
 *   <li>{@code docs}: array of document ids (bs58check, as in {@code automerge:} URLs) the holder
 *       may open (or create, if the server does not hold one yet), or {@code ["*"]} for every
 *       existing document;</li>
 *   <li>{@code create} (optional, default false): the holder may also create new documents (a
 *       document the server does not hold yet); it can keep using them on that connection, and
 *       needs a token naming them to open them again later;</li>
 *   <li>{@code exp}: expiry, in unix seconds; checked when the client joins, and a connection
 *       still open then is closed ({@link RepoGrant#expiresAt()}).</li>
 *   <li>{@code aud} (optional): the deployment the token is for, a string or an array of strings,
 *       as in RFC 7519.</li>
 * </ul>
 *
 * <h2>Audience</h2>
 * Deployments that share a secret (a staging and a production server, two tenants) would accept
 * each other's tokens. {@link #withAudience} names this server's deployment: it then mints tokens
 * with that {@code aud} and accepts only tokens whose {@code aud} names it. Without an audience,
 * tokens are minted without {@code aud}, and a token that carries one is refused (RFC 7519: a
 * recipient that does not identify itself with the {@code aud} claim must reject the token), so a
 * token minted for a deployment never opens documents on a server that was not told its name.
 * In short: a token without {@code aud} is accepted only by a server without an audience.
 *
 * <h2>Where the client puts it</h2>
 * In the WebSocket URL: {@code ws://host:8787/automerge-repo?token=TOKEN}. A browser cannot set
 * headers on a WebSocket, and automerge-repo's {@code Repo} writes the {@code join}'s
 * {@code peerMetadata} itself, so the URL is the one place a web page controls:
 * {@code new WebSocketClientAdapter("wss://host/automerge-repo?token=" + token)}.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * RepoAccessTokens tokens = new RepoAccessTokens(secret, Clock.systemUTC()).withAudience("docs.example.com");
 * String token = tokens.issue(List.of(documentId), false, Duration.ofHours(1));
 * RepoServerSettings.builder().accessPolicy(tokens.policy()) ...
 * }</pre>
 */
public final class RepoAccessTokens {
    /** The claim value of {@code docs} that grants every existing document. */
    public static final String ANY_DOCUMENT = "*";
    /** Tokens are short; this bounds the work a hostile token can cause. */
    public static final int MAX_TOKEN_LENGTH = 8192;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final String HEADER =
            B64URL.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

    /** Longest audience name accepted in the configuration. */
    public static final int MAX_AUDIENCE_LENGTH = 256;

    private final SecretKeySpec key;
    private final Clock clock;
    /** Null: this server has no audience. */
    private final String audience;

    /**
     * @param secret the HMAC secret shared with whoever mints tokens (at least 16 characters)
     * @param clock gives "now" for the expiry
     */
    public RepoAccessTokens(String secret, Clock clock) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length() < 16) {
            throw new IllegalArgumentException(
                    "the token secret must have at least 16 characters, but has " + secret.length());
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.audience = null;
    }

    private RepoAccessTokens(RepoAccessTokens base, String audience) {
        this.key = base.key;
        this.clock = base.clock;
        this.audience = audience;
    }

    /**
     * A copy for one deployment: it mints tokens with {@code aud} set to {@code audience} and
     * accepts only tokens whose {@code aud} names it (see "Audience" above).
     *
     * @param audience this deployment's name, e.g. {@code docs.example.com} (1 to
     *     {@link #MAX_AUDIENCE_LENGTH} characters, no control characters)
     * @return the copy
     */
    public RepoAccessTokens withAudience(String audience) {
        Objects.requireNonNull(audience, "audience");
        if (audience.isBlank() || audience.length() > MAX_AUDIENCE_LENGTH) {
            throw new IllegalArgumentException("the token audience must have 1 to " + MAX_AUDIENCE_LENGTH
                    + " characters and not be blank, but is '" + audience + "'");
        }
        if (audience.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("the token audience must not contain control characters");
        }
        return new RepoAccessTokens(this, audience);
    }

    /** @return this server's audience, or null if it has none */
    public String audience() {
        return audience;
    }

    /**
     * Mints a token.
     *
     * @param documents the documents it opens (empty with {@code create} for "new documents only")
     * @param create whether it may create new documents
     * @param validFor how long it can be used to join
     * @return the token
     */
    public String issue(Collection<DocumentId> documents, boolean create, Duration validFor) {
        ArrayNode docs = JSON.createArrayNode();
        documents.forEach(id -> docs.add(id.toString()));
        return sign(docs, create, validFor);
    }

    /**
     * Mints a token for every existing document.
     *
     * @param create whether it may create new documents
     * @param validFor how long it can be used to join
     * @return the token
     */
    public String issueForAll(boolean create, Duration validFor) {
        return sign(JSON.createArrayNode().add(ANY_DOCUMENT), create, validFor);
    }

    private String sign(ArrayNode docs, boolean create, Duration validFor) {
        ObjectNode claims = JSON.createObjectNode();
        claims.set("docs", docs);
        claims.put("create", create);
        claims.put("exp", clock.instant().plus(validFor).getEpochSecond());
        if (audience != null) {
            claims.put("aud", audience);
        }
        String signingInput;
        try {
            signingInput = HEADER + "." + B64URL.encodeToString(JSON.writeValueAsBytes(claims));
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree built in memory could not be written", e);
        }
        return signingInput + "." + B64URL.encodeToString(mac(signingInput));
    }

    /**
     * Checks a token and returns what it grants.
     *
     * @param token the token, or null
     * @return the grant
     * @throws RepoAccessDeniedException naming the first check that failed
     */
    public RepoGrant verify(String token) throws RepoAccessDeniedException {
        if (token == null || token.isEmpty()) {
            throw new RepoAccessDeniedException(
                    "this server needs an access token: connect to .../automerge-repo?token=TOKEN");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw new RepoAccessDeniedException("the access token must have at most " + MAX_TOKEN_LENGTH
                    + " characters, but has " + token.length());
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new RepoAccessDeniedException(
                    "the access token must have 3 dot-separated parts, but has " + parts.length);
        }
        // The signature is checked before any JSON is parsed: what an unauthenticated client sends
        // costs a base64 decode and one HMAC, and a forged token is told only that it is forged.
        byte[] signature;
        try {
            signature = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new RepoAccessDeniedException("the access token's signature is not base64url-encoded");
        }
        if (!MessageDigest.isEqual(mac(parts[0] + "." + parts[1]), signature)) {
            throw new RepoAccessDeniedException("the access token's signature is not valid for this server");
        }
        JsonNode header;
        JsonNode claims;
        try {
            header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IllegalArgumentException | IOException e) {
            throw new RepoAccessDeniedException("the access token is not base64url-encoded JSON");
        }
        if (header == null || !"HS256".equals(header.path("alg").asText())) {
            throw new RepoAccessDeniedException("the access token must be signed with alg HS256");
        }
        if (claims == null
                || !claims.path("docs").isArray()
                || !claims.path("exp").canConvertToLong()) {
            throw new RepoAccessDeniedException(
                    "the access token must carry the claims \"docs\" (an array) and \"exp\" (a number)");
        }
        Instant expiry = Instant.ofEpochSecond(claims.path("exp").asLong());
        Instant now = clock.instant();
        if (!now.isBefore(expiry)) {
            throw new RepoAccessDeniedException(
                    "the access token expired at " + expiry + " (now " + now + "); ask for a new one");
        }
        checkAudience(claims.get("aud"));
        Set<String> documents = new HashSet<>();
        claims.path("docs").forEach(node -> documents.add(node.asText()));
        boolean any = documents.contains(ANY_DOCUMENT);
        boolean create = claims.path("create").asBoolean(false);
        return new RepoGrant() {
            @Override
            public boolean mayOpen(DocumentId documentId, boolean exists) {
                return documents.contains(documentId.toString()) || (exists ? any : create);
            }

            @Override
            public Instant expiresAt() {
                return expiry;
            }
        };
    }

    private void checkAudience(JsonNode aud) throws RepoAccessDeniedException {
        Set<String> named = new HashSet<>();
        if (aud != null && aud.isTextual()) {
            named.add(aud.asText());
        } else if (aud != null && aud.isArray()) {
            for (JsonNode node : aud) {
                if (!node.isTextual()) {
                    throw new RepoAccessDeniedException("the access token's \"aud\" must be a string or strings");
                }
                named.add(node.asText());
            }
        } else if (aud != null) {
            throw new RepoAccessDeniedException("the access token's \"aud\" must be a string or strings");
        }
        if (audience == null) {
            if (aud != null) {
                throw new RepoAccessDeniedException("the access token is for audience " + named
                        + ", but this server has no audience; it accepts only tokens without \"aud\"");
            }
        } else if (aud == null) {
            throw new RepoAccessDeniedException(
                    "the access token has no \"aud\"; this server accepts only tokens for audience " + audience);
        } else if (!named.contains(audience)) {
            throw new RepoAccessDeniedException(
                    "the access token is for audience " + named + ", not this server's (" + audience + ")");
        }
    }

    /** @return a policy that admits clients whose connection carries a valid token */
    public RepoAccessPolicy policy() {
        return peer -> verify(peer.token());
    }

    private byte[] mac(String signingInput) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(signingInput.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java platform but is missing", e);
        }
    }
}
