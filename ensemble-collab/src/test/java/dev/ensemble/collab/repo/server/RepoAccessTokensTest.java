package dev.ensemble.collab.repo.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.collab.repo.DocumentId;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tokens checked as an unauthenticated client would present them. */
class RepoAccessTokensTest {
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final RepoAccessTokens tokens = new RepoAccessTokens("a secret of sixteen+ chars", Clock.systemUTC());

    @Test
    void aForgedTokenIsToldOnlyThatItsSignatureIsWrongWhateverItsClaimsHold() {
        String header = B64URL.encodeToString("{\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_8));
        String garbage = B64URL.encodeToString("[[[[not json".getBytes(StandardCharsets.UTF_8));
        String signature = B64URL.encodeToString(new byte[32]);
        RepoAccessDeniedException refused = assertThrows(
                RepoAccessDeniedException.class, () -> tokens.verify(header + "." + garbage + "." + signature));
        assertEquals("the access token's signature is not valid for this server", refused.getMessage());

        String none = B64URL.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        RepoAccessDeniedException unsigned =
                assertThrows(RepoAccessDeniedException.class, () -> tokens.verify(none + "." + garbage + "."));
        assertEquals("the access token's signature is not valid for this server", unsigned.getMessage());
    }

    @Test
    void aTokenWhosePartsWereChangedIsRefused() throws Exception {
        DocumentId mine = DocumentId.random();
        String token = tokens.issue(List.of(mine), false, Duration.ofMinutes(5));
        assertTrue(tokens.verify(token).mayOpen(mine, true));
        assertFalse(tokens.verify(token).mayOpen(DocumentId.random(), true));

        String[] parts = token.split("\\.");
        String widened = B64URL.encodeToString(
                "{\"docs\":[\"*\"],\"create\":true,\"exp\":99999999999}".getBytes(StandardCharsets.UTF_8));
        RepoAccessDeniedException refused = assertThrows(
                RepoAccessDeniedException.class, () -> tokens.verify(parts[0] + "." + widened + "." + parts[2]));
        assertEquals("the access token's signature is not valid for this server", refused.getMessage());
        RepoAccessDeniedException badSignature =
                assertThrows(RepoAccessDeniedException.class, () -> tokens.verify(parts[0] + "." + parts[1] + ".%%%"));
        assertEquals("the access token's signature is not base64url-encoded", badSignature.getMessage());
    }

    private String signed(RepoAccessTokens with, String claimsJson) throws Exception {
        // Mints a token with exactly these claims, signed with the shared secret, as another
        // deployment's backend (or any JWT library) would.
        String header = B64URL.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = B64URL.encodeToString(claimsJson.getBytes(StandardCharsets.UTF_8));
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(
                "a secret of sixteen+ chars".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return header + "." + claims + "."
                + B64URL.encodeToString(mac.doFinal((header + "." + claims).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aTokenForOneDeploymentIsRefusedByAnotherThatSharesTheSecret() throws Exception {
        DocumentId doc = DocumentId.random();
        RepoAccessTokens production = tokens.withAudience("docs.example.com");
        RepoAccessTokens staging = tokens.withAudience("staging.example.com");
        String forProduction = production.issue(List.of(doc), false, Duration.ofMinutes(5));

        assertTrue(production.verify(forProduction).mayOpen(doc, true));
        assertEquals(
                "the access token is for audience [docs.example.com], not this server's (staging.example.com)",
                assertThrows(RepoAccessDeniedException.class, () -> staging.verify(forProduction))
                        .getMessage());
        assertEquals(
                "the access token is for audience [docs.example.com], but this server has no audience; it accepts"
                        + " only tokens without \"aud\"",
                assertThrows(RepoAccessDeniedException.class, () -> tokens.verify(forProduction))
                        .getMessage());

        String withoutAudience = tokens.issue(List.of(doc), false, Duration.ofMinutes(5));
        assertTrue(tokens.verify(withoutAudience).mayOpen(doc, true), "no audience on either side");
        assertEquals(
                "the access token has no \"aud\"; this server accepts only tokens for audience docs.example.com",
                assertThrows(RepoAccessDeniedException.class, () -> production.verify(withoutAudience))
                        .getMessage());
    }

    @Test
    void anAudienceArrayMustNameThisServerAndHoldOnlyStrings() throws Exception {
        RepoAccessTokens production = tokens.withAudience("docs.example.com");
        long exp = java.time.Instant.now().getEpochSecond() + 300;
        String both = signed(
                production, "{\"docs\":[\"*\"],\"exp\":" + exp + ",\"aud\":[\"a.example\",\"docs.example.com\"]}");
        assertTrue(production.verify(both).mayOpen(DocumentId.random(), true));
        String neither = signed(production, "{\"docs\":[\"*\"],\"exp\":" + exp + ",\"aud\":[\"a.example\"]}");
        assertEquals(
                "the access token is for audience [a.example], not this server's (docs.example.com)",
                assertThrows(RepoAccessDeniedException.class, () -> production.verify(neither))
                        .getMessage());
        String number = signed(production, "{\"docs\":[\"*\"],\"exp\":" + exp + ",\"aud\":7}");
        assertEquals(
                "the access token's \"aud\" must be a string or strings",
                assertThrows(RepoAccessDeniedException.class, () -> production.verify(number))
                        .getMessage());
    }

    @Test
    void aBlankOrOverlongAudienceIsRefusedInTheConfiguration() {
        assertEquals(
                "the token audience must have 1 to 256 characters and not be blank, but is ' '",
                assertThrows(IllegalArgumentException.class, () -> tokens.withAudience(" "))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> tokens.withAudience("x".repeat(257)));
        assertThrows(IllegalArgumentException.class, () -> tokens.withAudience("a\nb"));
    }
}
