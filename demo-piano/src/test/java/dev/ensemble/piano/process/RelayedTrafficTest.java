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
 * by which the server routes, do: the capture holds the relayed traffic, and it is sealed. The same
 * with three JVMs, two of them playing.
 */
class RelayedTrafficTest {
    /** JVM starts, joining, the sessions' handshake and a few notes, on a loaded two-core machine. */
    private static final Duration PLAYED = Duration.ofSeconds(90);

    private static final String PLAYER = "Clara-Schumann-at-the-keys";
    private static final String SECOND_PLAYER = "Robert-Schumann-at-the-keys";
    private static final String LISTENER = "Johannes-Brahms-listening";

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;

    private SignalingServer server;
    private CapturingProxy wire;
    private final List<PeerProcess> peers = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = new SignalingServer(SignalingServerConfig.loopback().build()).start();
        wire = CapturingProxy.to(new InetSocketAddress("127.0.0.1", server.uri().getPort()));
    }

    @AfterEach
    void stop() {
        peers.forEach(PeerProcess::close);
        wire.close();
        server.stop(Duration.ofSeconds(2));
    }

    private PeerProcess peer(String name, String room, int players, String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("--relay-only")); // WebRTC would bypass the proxy
        all.addAll(List.of(args));
        PeerProcess peer = PeerProcess.headless(
                dir, name, URI.create("ws://127.0.0.1:" + wire.port()), room, players, all.toArray(String[]::new));
        peers.add(peer);
        return peer;
    }

    @Test
    void playersNamesNeverCrossTheWireInClear() throws Exception {
        PeerProcess clara = peer(PLAYER, "duo", 2, "--bot", "melody");
        PeerProcess johannes = peer(LISTENER, "duo", 2);

        awaitPlaying(List.of(clara), List.of(johannes));
        assertSealed();
    }

    /** Three JVMs: each sealed pair is its own session, and a listener tells two players' notes apart. */
    @Test
    void threePlayersNamesNeverCrossTheWireInClear() throws Exception {
        PeerProcess clara = peer(PLAYER, "trio", 3, "--bot", "melody");
        PeerProcess robert = peer(SECOND_PLAYER, "trio", 3, "--bot", "melody");
        PeerProcess johannes = peer(LISTENER, "trio", 3);

        awaitPlaying(List.of(clara, robert), List.of(johannes));
        assertSealed();
    }

    /**
     * Waits until every process lists every other one by name, and every listener hears notes of each
     * player, the player's name with them.
     */
    private void awaitPlaying(List<PeerProcess> players, List<PeerProcess> listeners) {
        try {
            Await.until("everyone lists everyone, and the listeners hear each player's notes", PLAYED, () -> {
                for (PeerProcess peer : peers) {
                    peer.assertAlive();
                    for (PeerProcess other : peers) {
                        if (other != peer
                                && peer.events(
                                                "joined",
                                                e -> e.get("name").asText().equals(other.name()))
                                        .isEmpty()) {
                            return false;
                        }
                    }
                }
                for (PeerProcess listener : listeners) {
                    for (PeerProcess player : players) {
                        if (listener.events(
                                        "note",
                                        e -> e.get("on").asBoolean()
                                                && e.get("name").asText().equals(player.name()))
                                .isEmpty()) {
                            return false;
                        }
                    }
                }
                return true;
            });
        } catch (AssertionError e) {
            StringBuilder consoles = new StringBuilder(e.getMessage());
            peers.forEach(peer -> consoles.append('\n').append(peer.console()));
            throw new AssertionError(consoles.toString(), e);
        }
    }

    /** The capture holds every player's traffic (the server routes by did:key), and no name in clear. */
    private void assertSealed() {
        for (PeerProcess peer : peers) {
            assertTrue(
                    wire.contains(peer.id()),
                    () -> "the capture holds the relayed traffic: the server names every player by its did:key ("
                            + peer.name() + "'s is missing from " + wire.size() + " bytes captured)");
            assertFalse(wire.contains(peer.name()), () -> "the wire carried " + peer.name() + " in clear");
        }
    }
}
