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
}
