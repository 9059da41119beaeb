package dev.ensemble.signaling.server;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class JoinTokensTest {

    private static final String SECRET = "a-secret-of-some-length";
    private static final Instant NOW = Instant.parse("2030-06-01T12:00:00Z");
    private final JoinTokens tokens = new JoinTokens(SECRET, Clock.fixed(NOW, ZoneOffset.UTC));
    private final PeerId alice = PeerIdentity.generate().peerId();

    @Test
    void issuesAStandardHs256JwtWithRoomSubjectAndExpiry() throws Exception {
        String token = tokens.issue("lobby", alice, Duration.ofMinutes(5));
        String[] parts = token.split("\\.");
        assertEquals(3, parts.length);
        ObjectMapper json = new ObjectMapper();
        JsonNode header = json.readTree(Base64.getUrlDecoder().decode(parts[0]));
        JsonNode claims = json.readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertEquals("HS256", header.get("alg").asText());
        assertEquals("lobby", claims.get("room").asText());
        assertEquals(alice.toString(), claims.get("sub").asText());
        assertEquals(NOW.getEpochSecond() + 300, claims.get("exp").asLong());
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] expected = mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertEquals(Base64.getUrlEncoder().withoutPadding().encodeToString(expected), parts[2]);
    }

    @Test
    void acceptsAValidTokenUntilItExpires() {
        String token = tokens.issue("lobby", alice, Duration.ofMinutes(5));
        assertDoesNotThrow(() -> tokens.verify(token, "lobby", alice));
        JoinTokens later = new JoinTokens(SECRET, Clock.fixed(NOW.plusSeconds(300), ZoneOffset.UTC));
        assertTrue(assertThrows(JoinTokens.InvalidTokenException.class, () -> later.verify(token, "lobby", alice))
                .getMessage()
                .startsWith("join token expired at 2030-06-01T12:05:00Z"));
    }

    @Test
    void rejectsTamperedAndMalformedTokens() {
        String token = tokens.issue("lobby", null, Duration.ofMinutes(5));
        String[] parts = token.split("\\.");
        String otherClaims = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(("{\"room\":\"lobby\",\"exp\":" + (NOW.getEpochSecond() + 999_999) + "}")
                        .getBytes(StandardCharsets.UTF_8));
        assertMessage(parts[0] + "." + otherClaims + "." + parts[2], "signature is not valid");
        assertMessage("a.b", "must have 3 dot-separated parts but has 2");
        assertMessage("!!.!!.!!", "not base64url-encoded JSON");
        assertMessage("x".repeat(3000), "at most 2048 characters");
        assertMessage(
                Base64.getUrlEncoder()
                                .withoutPadding()
                                .encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8))
                        + "." + parts[1] + ".",
                "must be signed with alg HS256");
    }

    @Test
    void acceptsTheWorkedExampleOfTheProtocolDocument() {
        String token =
                "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb29tIjoicGlhbm8tbG9iYnkiLCJleHAiOjE4OTM0NTYwMDAsInN1YiI6"
                        + "ImRpZDprZXk6ejZNa3BUSFI4Vk5zQnhZQUFXSHV0MkdlYWRkOWpTd3VCVjh4Um9BbndXc2R2a3RIIn0."
                        + "HCYTIAZUqtxsvuOGtMRr5xfJgvMeaR28IqmpsOJC0iE";
        JoinTokens before = new JoinTokens(
                "example-join-token-secret", Clock.fixed(Instant.parse("2029-12-31T23:59:59Z"), ZoneOffset.UTC));
        PeerId peer = PeerId.parse("did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH");
        assertDoesNotThrow(() -> before.verify(token, "piano-lobby", peer));
        assertThrows(JoinTokens.InvalidTokenException.class, () -> before.verify(token, "piano-lobby", alice));
    }

    private void assertMessage(String token, String expected) {
        String message = assertThrows(
                        JoinTokens.InvalidTokenException.class, () -> tokens.verify(token, "lobby", alice))
                .getMessage();
        assertTrue(message.contains(expected), message);
    }
}
