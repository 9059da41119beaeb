package dev.ensemble.piano.process;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.signaling.server.SignalingServer;
import dev.ensemble.signaling.server.SignalingServerConfig;
import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.net.CapturingProxy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the relay carries between players in separate JVMs, read off the wire (issue 17): two
 * headless players reach a real signaling server on 127.0.0.1 only through a {@link
 * CapturingProxy}; one plays, and the other lists her and hears each of her notes with her name.
 * Neither name ever passes the proxy in clear, in either direction, while the players' did:keys,
 * by which the server routes, do: the capture holds the relayed traffic, and it is sealed.
 */
class RelayedTrafficTest {
    /** JVM start, joining, the sessions' handshake and a few notes, on a loaded two-core machine. */
    private static final Duration PLAYED = Duration.ofSeconds(60);

    private static final String PLAYER = "Clara-Schumann-at-the-keys";
    private static final String LISTENER = "Johannes-Brahms-listening";

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;

    private SignalingServer server;
    private CapturingProxy wire;
    private final List<PeerProcess> peers = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = new SignalingServer(SignalingServerConfig.builder()
                        .host("127.0.0.1")
                        .port(0)
                        .metricsPort(SignalingServerConfig.METRICS_DISABLED)
                        .build())
                .start();
        wire = CapturingProxy.to(new InetSocketAddress("127.0.0.1", server.uri().getPort()));
    }

    @AfterEach
    void stop() {
        peers.forEach(PeerProcess::close);
        wire.close();
        server.stop(Duration.ofSeconds(2));
    }

    private PeerProcess peer(String name, String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("--relay-only")); // WebRTC would bypass the proxy
        all.addAll(List.of(args));
        PeerProcess peer = PeerProcess.headless(
                dir, name, URI.create("ws://127.0.0.1:" + wire.port()), "duo", 2, all.toArray(String[]::new));
        peers.add(peer);
        return peer;
    }

    @Test
    void playersNamesNeverCrossTheWireInClear() throws Exception {
        PeerProcess clara = peer(PLAYER, "--bot", "melody");
        PeerProcess johannes = peer(LISTENER);

        try {
            Await.until("Johannes lists Clara and hears her notes, her name with each", PLAYED, () -> {
                clara.assertAlive();
                johannes.assertAlive();
                return !johannes.events("joined", e -> e.get("name").asText().equals(PLAYER))
                                .isEmpty()
                        && !johannes.events(
                                        "note",
                                        e -> e.get("on").asBoolean()
                                                && e.get("name").asText().equals(PLAYER))
                                .isEmpty()
                        && !clara.events("joined", e -> e.get("name").asText().equals(LISTENER))
                                .isEmpty();
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + clara.console() + "\n" + johannes.console(), e);
        }

        assertTrue(
                wire.contains(clara.id()) && wire.contains(johannes.id()),
                "the capture holds the relayed traffic: the server names both players by their did:keys (" + wire.size()
                        + " bytes captured)");
        assertFalse(wire.contains(PLAYER), "the wire carried the player's name in clear");
        assertFalse(wire.contains(LISTENER), "the wire carried the listener's name in clear");
    }
}
