package dev.ensemble.transport.ws;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.collab.CollaborationSettings;
import dev.ensemble.collab.peers.PeerMessaging;
import dev.ensemble.collab.peers.PeerMessagingActor;
import dev.ensemble.collab.peers.PeerMessagingSettings;
import dev.ensemble.collab.peers.Roster;
import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorToken;
import dev.ensemble.signaling.protocol.RelayFrame;
import dev.ensemble.testkit.Await;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.secure.SecureTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three CollaborationActor peers, each with PeerMessaging over sessions on the WebSocket relay,
 * through a {@link TamperingRelay} in front of a real signaling server: their documents converge
 * while the relay alters, repeats, holds back and drops frames, no altered byte reaches a
 * document, and the relay's log never holds a line of the document.
 */
class CollaborationOverSessionsTest {
    private static final ActorToken<PeerMessaging, Roster> PEERS = PeerMessaging.token("peers");
    private static final ActorToken<NotesActions, Notes> NOTES =
            ActorToken.of("notes", NotesActions.class, Notes.class);
    private static final String ROOM = "sealed-notes";

    private TestServer server;
    private TamperingRelay relay;
    private final List<SecureTransport> transports = new ArrayList<>();
    private final List<ActorSystem> systems = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new TestServer();
        relay = new TamperingRelay(server.uri());
    }

    @AfterEach
    void stop() throws Exception {
        systems.forEach(ActorSystem::close);
        transports.forEach(SecureTransport::close);
        relay.close();
        server.close();
    }

    private ActorClient<NotesActions, Notes> peer(String name) {
        PeerIdentity identity = PeerIdentity.generate();
        SecureTransport transport = SecureTransport.wrap(
                WebSocketTransport.create(WebSocketTransportConfig.builder(relay.uri(), ROOM, identity)
                        .connectTimeout(Duration.ofSeconds(10))
                        .build()),
                identity,
                ROOM);
        transports.add(transport);
        ActorSystem system = ActorSystem.builder(name)
                .add(
                        PEERS,
                        () -> new PeerMessagingActor(PeerMessagingSettings.builder()
                                .transport(transport)
                                .build()))
                .add(
                        NOTES,
                        () -> new NotesActor(CollaborationSettings.builder("notes", Notes.class, Notes.EMPTY)
                                .peers(PEERS)
                                .resyncInterval(Duration.ofMillis(500))
                                .build()),
                        PEERS)
                .start();
        systems.add(system);
        return system.client(NOTES);
    }

    @Test
    void documentsConvergeThroughAHostileRelayThatSeesNoLine() {
        ActorClient<NotesActions, Notes> alice = peer("alice");
        ActorClient<NotesActions, Notes> bob = peer("bob");
        ActorClient<NotesActions, Notes> carol = peer("carol");
        Await.until(
                "every pair holds a session",
                () -> transports.stream().allMatch(t -> t.counters().sessionsEstablished() >= 2));
        alice.actions().add("Alice-secret-line before");
        awaitConverged("the first line reaches everyone", Set.of("Alice-secret-line before"), alice, bob, carol);

        // A hostile relay for a while: of every data frame, one in five altered, one in five
        // repeated, one in five dropped; the rest pass.
        Random random = new Random(17);
        relay.tap(frame -> {
            synchronized (random) {
                return switch (random.nextInt(5)) {
                    case 0 -> List.of(alter(frame));
                    case 1 -> List.of(frame, frame);
                    case 2 -> List.of();
                    default -> List.of(frame);
                };
            }
        });
        Set<String> expected = new HashSet<>(Set.of("Alice-secret-line before"));
        for (int i = 0; i < 10; i++) {
            alice.actions().add("Alice-secret-line " + i);
            bob.actions().add("Bob-secret-line " + i);
            carol.actions().add("Carol-secret-line " + i);
            expected.addAll(Set.of("Alice-secret-line " + i, "Bob-secret-line " + i, "Carol-secret-line " + i));
        }
        Await.until(
                "the relay has misbehaved in every way at least once",
                () -> transports.stream()
                                        .mapToLong(t -> t.counters().framesRejected())
                                        .sum()
                                > 0
                        && transports.stream()
                                        .mapToLong(t -> t.counters().framesReplayed())
                                        .sum()
                                > 0
                        && transports.stream()
                                        .mapToLong(t -> t.counters().framesMissing())
                                        .sum()
                                > 0);
        relay.tap(TamperingRelay.HONEST);

        awaitConverged("every line reaches everyone once the relay behaves", expected, alice, bob, carol);
        // Long enough that ciphertext cannot hold it by chance (17 bytes: one chance in 2^136 per position).
        assertFalse(relayLogContains("-secret-line "), "the relay saw a line of the document");
        assertTrue(relayLogContains("sealed-notes"), "the log holds the traffic: the room name is in every header");
    }

    @SafeVarargs
    private static void awaitConverged(String what, Set<String> expected, ActorClient<NotesActions, Notes>... peers) {
        Await.until(
                what,
                () -> {
                    for (ActorClient<NotesActions, Notes> peer : peers) {
                        List<String> lines = peer.state().lines();
                        if (lines.size() != expected.size() || !new HashSet<>(lines).equals(expected)) {
                            return false;
                        }
                    }
                    return true;
                },
                () -> "; sizes "
                        + Arrays.stream(peers)
                                .map(p -> p.state().lines().size())
                                .toList());
    }

    private boolean relayLogContains(String text) {
        byte[] needle = text.getBytes(UTF_8);
        for (byte[] frame : relay.frames()) {
            outer:
            for (int i = 0; i + needle.length <= frame.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (frame[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return true;
            }
        }
        return false;
    }

    private static RelayFrame alter(RelayFrame frame) {
        byte[] payload = frame.payload().clone();
        payload[payload.length / 2] ^= 0x10;
        return new RelayFrame(frame.room(), frame.from(), frame.to(), payload);
    }
}
