package dev.ensemble.collab.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.ensemble.collab.ephemeral.ChannelStatus;
import dev.ensemble.collab.ephemeral.Ephemeral;
import dev.ensemble.collab.ephemeral.EphemeralChannel;
import dev.ensemble.collab.ephemeral.EphemeralSettings;
import dev.ensemble.collab.peers.PeerMessaging;
import dev.ensemble.collab.peers.PeerMessagingActor;
import dev.ensemble.collab.peers.PeerMessagingSettings;
import dev.ensemble.collab.peers.Roster;
import dev.ensemble.collab.sim.LinkConditions;
import dev.ensemble.collab.sim.NetworkSimulator;
import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorEvent;
import dev.ensemble.core.ActorProps;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorToken;
import dev.ensemble.core.dispatch.DispatcherSelector;
import dev.ensemble.testkit.transport.TestPeers;
import dev.ensemble.transport.Backoff;
import dev.ensemble.transport.PeerId;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bridge between a room's ephemeral channel and a document's automerge-repo ephemeral
 * messages, with no sockets and no threads: two room peers on the network simulator, each with a
 * connection to a server the test plays frame by frame, every actor on the test's thread.
 */
class RepoEphemeralBridgeTest {
    private static final ActorToken<PeerMessaging, Roster> PEERS = PeerMessaging.token("peers");
    private static final ActorToken<RepoConnection, RepoConnectionState> SERVER = RepoConnection.token("server");
    private static final ActorToken<Ephemeral, ChannelStatus> CHANNEL = Ephemeral.token("channel");
    private static final ActorToken<RepoEphemeral, RepoEphemeralStatus> BRIDGE = RepoEphemeral.token("bridge");
    private static final DocumentId DOC = DocumentId.parse("1Bhh3pU9gLXZiNDL6PEa1Gs9fh");
    private static final RepoCodec CODEC = RepoCodec.standard();
    private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private NetworkSimulator network;
    private Peer alice;
    private Peer bob;

    /** A room peer: its system, its server connection as the test sees it, and what its bridge emitted. */
    private static final class Peer {
        final PeerId id;
        final ActorSystem system;
        final FakeSockets sockets;
        final ActorClient<RepoEphemeral, RepoEphemeralStatus> bridge;
        final List<ActorEvent> events = Collections.synchronizedList(new ArrayList<>());

        Peer(PeerId id, ActorSystem system, FakeSockets sockets) {
            this.id = id;
            this.system = system;
            this.sockets = sockets;
            this.bridge = system.client(BRIDGE).withCallbackExecutor(Runnable::run);
            bridge.onEvent(events::add);
        }

        List<BridgedMessage> heard() {
            synchronized (events) {
                return events.stream()
                        .filter(e -> e.name().equals(RepoEphemeralBridge.MESSAGE))
                        .map(e -> (BridgedMessage) e.payload())
                        .toList();
            }
        }

        List<String> errors() {
            synchronized (events) {
                return events.stream()
                        .filter(e -> e.name().equals(RepoEphemeralBridge.ERROR))
                        .map(e -> (String) e.payload())
                        .toList();
            }
        }

        FakeSockets.Connection connection() {
            return sockets.last();
        }

        /** The ephemeral messages the peer sent to the server. */
        List<RepoMessage.Ephemeral> sentToServer() {
            return connection().sent.stream()
                    .map(CODEC::decode)
                    .filter(m -> m instanceof RepoMessage.Ephemeral)
                    .map(m -> (RepoMessage.Ephemeral) m)
                    .toList();
        }

        /** The server forwards an ephemeral message to this peer. */
        void serverForwards(String sender, byte[] data) {
            connection()
                    .serverSends(CODEC.encode(
                            new RepoMessage.Ephemeral(sender, id.toString(), DOC, 1, "session-" + sender, data)));
        }
    }

    @BeforeEach
    void startRoom() {
        network = NetworkSimulator.builder()
                .seed(1)
                .conditions(
                        LinkConditions.builder().latency(Duration.ofMillis(5)).build())
                .build();
        alice = startPeer("alice");
        bob = startPeer("bob");
        network.runUntilQuiet(1_000_000);
        assertTrue(alice.system.client(PEERS).state().peers().contains(bob.id), "the room is formed");
    }

    @AfterEach
    void stopRoom() {
        if (alice != null) {
            alice.system.close();
        }
        if (bob != null) {
            bob.system.close();
        }
    }

    private Peer startPeer(String name) {
        ActorProps inline = ActorProps.defaults().withDispatcher(DispatcherSelector.callingThread());
        PeerId id = TestPeers.id(name);
        FakeSockets sockets = new FakeSockets();
        ActorSystem system = ActorSystem.builder(name)
                .add(
                        PEERS,
                        () -> new PeerMessagingActor(PeerMessagingSettings.builder()
                                .transport(network.transportFor(id))
                                .expiryCheck(Duration.ofHours(1))
                                .build()),
                        inline)
                .add(
                        SERVER,
                        () -> new RepoConnectionActor(
                                RepoConnectionSettings.builder(URI.create("ws://127.0.0.1:1/automerge-repo"), sockets)
                                        .peerId(id.toString())
                                        .reconnect(Backoff.of(Duration.ofHours(1), Duration.ofHours(1), 0))
                                        .build()),
                        inline)
                .add(
                        CHANNEL,
                        () -> new EphemeralChannel(EphemeralSettings.builder(PEERS)
                                .topic(RepoEphemeralSettings.defaultTopic().withMaxPayloadBytes(64))
                                .clock(network.clock())
                                .build()),
                        inline,
                        PEERS)
                .add(
                        BRIDGE,
                        () -> new RepoEphemeralBridge(new RepoEphemeralSettings(
                                DOC,
                                CHANNEL,
                                RepoEphemeralSettings.defaultTopic().withMaxPayloadBytes(64),
                                PEERS,
                                SERVER)),
                        inline,
                        CHANNEL,
                        PEERS,
                        SERVER)
                .start();
        FakeSockets.Connection connection = sockets.last();
        connection.opens();
        connection.serverSends(
                CODEC.encode(new RepoMessage.Peer("ensemble-sync-server", id.toString(), PeerMetadata.EMPTY, "1")));
        assertTrue(system.client(SERVER).state().connected(), name + " joined the server");
        return new Peer(id, system, sockets);
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void aRoomPeersBroadcastReachesTheServerAsCborAndTheRoomOnce() throws Exception {
        alice.bridge.actions().broadcast(json("{\"cursor\":3,\"who\":\"alice\"}"));
        network.runUntilQuiet(1_000_000);

        List<RepoMessage.Ephemeral> sent = alice.sentToServer();
        assertEquals(1, sent.size(), "one ephemeral message to the server: " + sent);
        assertEquals(alice.id.toString(), sent.get(0).senderId(), "the did:key is the automerge-repo peer id");
        assertEquals(DOC, sent.get(0).documentId());
        assertEquals(
                json("{\"cursor\":3,\"who\":\"alice\"}"),
                CBOR.readTree(sent.get(0).data()));
        assertEquals(
                List.of(new BridgedMessage(alice.id.toString(), true, json("{\"cursor\":3,\"who\":\"alice\"}"))),
                bob.heard(),
                "Bob hears it over the room");

        // The server forwards Alice's message to Bob's connection as well: that copy is dropped.
        bob.serverForwards(alice.id.toString(), sent.get(0).data());
        assertEquals(1, bob.heard().size(), "still once: " + bob.heard());
        assertEquals(new RepoEphemeralStatus(0, 1, 0, 1, 0), bob.bridge.state());
        assertEquals(new RepoEphemeralStatus(1, 0, 0, 0, 0), alice.bridge.state());
        assertTrue(bob.sentToServer().isEmpty(), "nothing is forwarded from the room to the server");
    }

    @Test
    void aClientsMessageFromTheServerIsDeliveredWithItsSenderAndNotForwardedToTheRoom() throws Exception {
        alice.serverForwards("peer-js-1", CBOR.writeValueAsBytes(json("{\"selection\":[1,4],\"name\":\"Ann\"}")));
        network.runUntilQuiet(1_000_000);
        assertEquals(
                List.of(new BridgedMessage("peer-js-1", false, json("{\"selection\":[1,4],\"name\":\"Ann\"}"))),
                alice.heard());
        assertTrue(bob.heard().isEmpty(), "Bob hears the client from the server himself, not from Alice");
    }

    @Test
    void dataThatIsNotCborIsDroppedWithAnErrorNamingTheSenderAndTheNextMessageIsDelivered() throws Exception {
        alice.serverForwards("peer-bad", new byte[] {(byte) 0xff});
        alice.serverForwards("peer-bad", new byte[] {(byte) 0xf6}); // CBOR null: no value
        alice.serverForwards("peer-good", CBOR.writeValueAsBytes(json("7")));
        assertEquals(2, alice.errors().size(), alice.errors().toString());
        assertTrue(
                alice.errors()
                        .get(0)
                        .startsWith("document " + DOC + ": dropped an ephemeral message from \"peer-bad\" of the"
                                + " automerge-repo server: its data is not CBOR ("),
                alice.errors().get(0));
        assertEquals(
                "document " + DOC + ": dropped an ephemeral message from \"peer-bad\" of the automerge-repo server:"
                        + " it carries no value",
                alice.errors().get(1));
        assertEquals(List.of(new BridgedMessage("peer-good", false, json("7"))), alice.heard());
        assertEquals(new RepoEphemeralStatus(0, 0, 1, 0, 2), alice.bridge.state());

        // A sender id meant to forge log lines is escaped and cut in the error.
        alice.serverForwards("evil\nINFO forged \"line\"" + "x".repeat(100), new byte[] {(byte) 0xff});
        assertTrue(
                alice.errors()
                        .get(2)
                        .contains("from \"evil\\u000aINFO forged \\u0022line\\u0022" + "x".repeat(64 - 23)
                                + "…\" of the automerge-repo server"),
                alice.errors().get(2));

        // Larger than the topic allows (64 bytes here): dropped before it is decoded.
        alice.serverForwards("peer-big", CBOR.writeValueAsBytes(JsonNodeFactory.instance.textNode("y".repeat(70))));
        assertEquals(
                "document " + DOC + ": dropped an ephemeral message from \"peer-big\" of the automerge-repo server:"
                        + " its data has 72 bytes, more than the topic's 64",
                alice.errors().get(3));
        assertEquals(new RepoEphemeralStatus(0, 0, 1, 0, 4), alice.bridge.state());
    }

    @Test
    void aMessageTheTopicDoesNotAllowIsRefusedBeforeAnythingIsSent() {
        List<ActorEvent> failures = Collections.synchronizedList(new ArrayList<>());
        alice.bridge.onEvent(ActorEvent.ACTION_FAILED, failures::add);
        alice.bridge.actions().broadcast(JsonNodeFactory.instance.textNode("x".repeat(100)));
        alice.bridge.actions().broadcast(JsonNodeFactory.instance.nullNode());
        network.runUntilQuiet(1_000_000);
        assertEquals(2, failures.size(), "both broadcasts failed: " + failures);
        assertTrue(
                failures.get(0).payload().toString().contains("must be at most 64 bytes encoded, was 102"),
                failures.get(0).payload().toString());
        assertTrue(
                failures.get(1).payload().toString().contains("must be a JSON value, not null"),
                failures.get(1).payload().toString());
        assertTrue(alice.sentToServer().isEmpty());
        assertTrue(bob.heard().isEmpty());
        assertEquals(RepoEphemeralStatus.EMPTY, alice.bridge.state());
    }
}
