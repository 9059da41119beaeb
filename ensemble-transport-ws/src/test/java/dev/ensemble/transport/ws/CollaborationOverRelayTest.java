package dev.ensemble.transport.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ensemble.collab.CollaborationSettings;
import dev.ensemble.collab.peers.PeerMessaging;
import dev.ensemble.collab.peers.PeerMessagingActor;
import dev.ensemble.collab.peers.PeerMessagingSettings;
import dev.ensemble.collab.peers.Roster;
import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorToken;
import dev.ensemble.testkit.Await;
import dev.ensemble.transport.PeerIdentity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two peers, each a PeerMessagingActor and a CollaborationActor, sync through the relay. */
class CollaborationOverRelayTest {
    private static final ActorToken<PeerMessaging, Roster> PEERS = PeerMessaging.token("peers");
    private static final ActorToken<NotesActions, Notes> NOTES =
            ActorToken.of("notes", NotesActions.class, Notes.class);
    private static final String ROOM = "notes-room";

    private TestServer server;
    private final List<WebSocketTransport> transports = new ArrayList<>();
    private final List<ActorSystem> systems = new ArrayList<>();

    @BeforeEach
    void startServer() throws Exception {
        server = new TestServer();
    }

    @AfterEach
    void stopEverything() {
        systems.forEach(ActorSystem::close);
        transports.forEach(WebSocketTransport::close);
        server.close();
    }

    private ActorClient<NotesActions, Notes> peer(String name) {
        WebSocketTransport transport = server.transport(ROOM, PeerIdentity.generate());
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

    private static void awaitConverged(
            String what,
            ActorClient<NotesActions, Notes> alice,
            ActorClient<NotesActions, Notes> bob,
            Set<String> expected) {
        Await.until(
                what,
                () -> new HashSet<>(alice.state().lines()).equals(expected)
                        && alice.state().equals(bob.state()),
                () -> "; Alice has " + alice.state() + ", Bob has " + bob.state());
    }

    @Test
    void twoCollaborationActorsConvergeOverTheRelay() {
        ActorClient<NotesActions, Notes> alice = peer("alice");
        ActorClient<NotesActions, Notes> bob = peer("bob");
        alice.actions().add("from alice");
        bob.actions().add("from bob");
        awaitConverged("both peers hold both lines", alice, bob, Set.of("from alice", "from bob"));
    }

    @Test
    void aChangeMadeWhileTheServerIsDownConvergesAfterReconnect() throws Exception {
        ActorClient<NotesActions, Notes> alice = peer("alice");
        ActorClient<NotesActions, Notes> bob = peer("bob");
        alice.actions().add("before");
        awaitConverged("Bob has Alice's first line", alice, bob, Set.of("before"));

        server.stop();
        Await.until(
                "both transports notice the server is gone",
                () -> transports.stream().noneMatch(WebSocketTransport::isInRoom));
        alice.actions().add("while down");
        bob.actions().add("bob while down");
        Await.until(
                "Alice's offline change is in her view",
                () -> alice.state().lines().contains("while down"));
        server.start();

        awaitConverged(
                "the changes made while down reach the other peer",
                alice,
                bob,
                Set.of("before", "while down", "bob while down"));
        assertEquals(3, bob.state().lines().size(), "no line is duplicated: " + bob.state());
    }

    @Test
    void aChangeLargerThanOneRelayFrameArrivesInChunks() {
        ActorClient<NotesActions, Notes> alice = peer("alice");
        ActorClient<NotesActions, Notes> bob = peer("bob");
        String large = "0123456789".repeat(8_000);
        alice.actions().add(large);
        Await.until(
                "Bob holds the 80 KB line, which needs two 64 KiB relay frames",
                () -> bob.state().lines().contains(large),
                () -> "; Bob has " + bob.state().lines().size() + " line(s)");
    }
}
