package dev.ensemble.transport.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ensemble.transport.Backoff;
import dev.ensemble.transport.PeerIdentity;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class WebSocketTransportConfigTest {
    private static final URI SERVER = URI.create("ws://127.0.0.1:8787/");
    private static final PeerIdentity IDENTITY = PeerIdentity.generate();

    private static void assertRejected(String message, Executable build) {
        assertEquals(
                message, assertThrows(IllegalArgumentException.class, build).getMessage());
    }

    @Test
    void hasDocumentedDefaultsAndCopiesThroughToBuilder() {
        WebSocketTransportConfig config =
                WebSocketTransportConfig.builder(SERVER, "lobby", IDENTITY).build();
        assertEquals(Backoff.of(Duration.ofMillis(250), Duration.ofSeconds(30), 0.5), config.backoff());
        assertEquals(1024, config.sendQueueCapacity());
        assertEquals(65536, config.maxMessageSize());
        WebSocketTransportConfig copy =
                config.toBuilder().sendQueueCapacity(7).joinToken("t").build();
        assertEquals(7, copy.sendQueueCapacity());
        assertEquals("t", copy.joinToken());
        assertEquals(config.room(), copy.room());
        assertEquals(config.backoff(), copy.backoff());
    }

    @Test
    void aJoinTokenMadeFromTheNonceReplacesTheFixedOneAndSurvivesToBuilder() {
        WebSocketTransportConfig fixed = WebSocketTransportConfig.builder(SERVER, "lobby", IDENTITY)
                .joinToken("t")
                .build();
        assertEquals("t", fixed.joinTokenFor("nonce-1"));
        WebSocketTransportConfig proving = fixed.toBuilder()
                .joinTokenFromNonce(nonce -> "proof-over-" + nonce)
                .build();
        assertEquals("proof-over-nonce-1", proving.joinTokenFor("nonce-1"));
        assertEquals("proof-over-nonce-2", proving.toBuilder().build().joinTokenFor("nonce-2"));
    }

    @Test
    void rejectsAnUriThatIsNotAWebSocketUri() {
        assertRejected(
                "serverUri must start with ws:// or wss:// but is http://127.0.0.1:8787/",
                () -> WebSocketTransportConfig.builder(URI.create("http://127.0.0.1:8787/"), "lobby", IDENTITY));
    }

    @Test
    void rejectsAnInvalidRoomName() {
        assertRejected(
                "room must be 1..128 characters of A-Z a-z 0-9 . _ ~ : @ / + = - but is" + " \"a room\"",
                () -> WebSocketTransportConfig.builder(SERVER, "a room", IDENTITY));
    }

    @Test
    void rejectsOutOfRangeSettings() {
        WebSocketTransportConfig.Builder builder = WebSocketTransportConfig.builder(SERVER, "lobby", IDENTITY);
        assertRejected(
                "the reconnect backoff's min must be positive (zero would reconnect in a tight loop while the"
                        + " server is down) but is Backoff[PT0S doubling to PT1S, jitter 0.5]",
                () -> builder.backoff(Backoff.of(Duration.ZERO, Duration.ofSeconds(1), 0.5)));
        assertRejected("sendQueueCapacity must be at least 1 but is 0", () -> builder.sendQueueCapacity(0));
        assertRejected("maxMessageSize must be at least 1 but is -1", () -> builder.maxMessageSize(-1));
        assertRejected(
                "connectTimeout must be positive but is PT-1S", () -> builder.connectTimeout(Duration.ofSeconds(-1)));
    }
}
