package dev.ensemble.transport.ws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.signaling.protocol.ClientMessage;
import dev.ensemble.signaling.protocol.ServerMessage;
import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.transport.RecordingListener;
import dev.ensemble.transport.Backoff;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.TransportException.Reason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What peers see when the server restarts or a member's connection drops. */
class ConnectionLossTest {
    private static final String ROOM = "loss-room";

    private TestServer server;
    private final List<WebSocketTransport> transports = new ArrayList<>();

    @BeforeEach
    void startServer() throws Exception {
        server = new TestServer();
    }

    @AfterEach
    void stopEverything() {
        transports.forEach(WebSocketTransport::close);
        server.close();
    }

    private WebSocketTransport started(PeerIdentity identity, RecordingListener events) {
        WebSocketTransport transport = server.transport(ROOM, identity);
        transports.add(transport);
        transport.start(events);
        return transport;
    }

    private static boolean anyErrorContains(RecordingListener events, Reason reason, String text) {
        return events.errors().stream()
                .anyMatch(e -> e.reason() == reason && e.getMessage().contains(text));
    }

    @Test
    void clientsReconnectWithTheSameIdentityAndRejoinAfterAServerRestart() throws Exception {
        RecordingListener aliceEvents = new RecordingListener();
        RecordingListener bobEvents = new RecordingListener();
        WebSocketTransport alice = started(PeerIdentity.generate(), aliceEvents);
        WebSocketTransport bob = started(PeerIdentity.generate(), bobEvents);
        Await.until(
                "Alice and Bob see each other",
                () -> aliceEvents.isConnectedTo(bob.self()) && bobEvents.isConnectedTo(alice.self()));

        server.stop();
        Await.until(
                "both report the other disconnected",
                () -> !aliceEvents.isConnectedTo(bob.self()) && !bobEvents.isConnectedTo(alice.self()));
        assertFalse(alice.send(bob.self(), new byte[] {1}), "no send while the server is down");
        Await.until(
                "the close reason is reported as an error",
                () -> anyErrorContains(aliceEvents, Reason.CONNECTION_LOST, "closed by the server with code 1001"),
                () -> aliceEvents.errors().toString());
        assertTrue(
                anyErrorContains(aliceEvents, Reason.SERVER_SHUTTING_DOWN, "shutting-down"),
                aliceEvents.errors().toString());
        Await.until(
                "the failed reconnect attempts are reported",
                () -> aliceEvents.errors().size() > 3,
                () -> aliceEvents.errors().toString());

        server.start();
        Await.until(
                "both are back in the room and see each other again",
                () -> aliceEvents.isConnectedTo(bob.self()) && bobEvents.isConnectedTo(alice.self()));
        assertEquals(List.of(bob.self(), bob.self()), aliceEvents.connectEvents());
        assertEquals(List.of(alice.self(), alice.self()), bobEvents.connectEvents());
        assertTrue(alice.send(bob.self(), new byte[] {7}));
        Await.until("Bob receives after the restart", () -> bobEvents.messages().size() == 1);
        assertArrayEquals(new byte[] {7}, bobEvents.messages().get(0).message());
    }

    @Test
    void aMemberWhoseConnectionDropsIsReportedAsLeft() throws Exception {
        RecordingListener aliceEvents = new RecordingListener();
        started(PeerIdentity.generate(), aliceEvents);
        PeerIdentity carolIdentity = PeerIdentity.generate();
        PeerId carol = carolIdentity.peerId();
        try (Probe probe = Probe.welcomed(server.uri(), carolIdentity)) {
            probe.sendMessage(new ClientMessage.Join(ROOM, null));
            probe.next(ServerMessage.Joined.class);
            Await.until("Alice sees Carol", () -> aliceEvents.isConnectedTo(carol));
            probe.drop();
            Await.until("Alice sees Carol leave", () -> !aliceEvents.isConnectedTo(carol));
        }
        assertEquals(carol, aliceEvents.disconnects().get(0).peer());
        assertTrue(
                aliceEvents.disconnects().get(0).reason().contains("left room " + ROOM),
                aliceEvents.disconnects().get(0).reason());
    }

    @Test
    void aTransportThatCannotReachTheServerKeepsRetryingWithBackoff() throws Exception {
        server.stop();
        RecordingListener events = new RecordingListener();
        WebSocketTransport lonely = WebSocketTransport.create(server.config(ROOM, PeerIdentity.generate())
                .backoff(Backoff.of(Duration.ofMillis(10), Duration.ofMillis(50), 0.5))
                .build());
        transports.add(lonely);
        lonely.start(events);
        Await.until(
                "several failed attempts are reported",
                () -> events.errors().size() >= 4,
                () -> events.errors().toString());
        assertFalse(lonely.isInRoom());
        server.start();
        Await.until("the transport gets into the room once the server is up", lonely::isInRoom);
    }

    @Test
    void aTransportReplacedByAnotherConnectionOfItsIdentityDoesNotFightBack() throws Exception {
        PeerIdentity shared = PeerIdentity.generate();
        RecordingListener watcherEvents = new RecordingListener();
        started(PeerIdentity.generate(), watcherEvents);
        RecordingListener firstEvents = new RecordingListener();
        WebSocketTransport first = started(shared, firstEvents);
        Await.until("the first connection is in the room", first::isInRoom);
        RecordingListener secondEvents = new RecordingListener();
        WebSocketTransport second = started(shared, secondEvents);

        Await.until(
                "the first transport gives up",
                () -> anyErrorContains(
                        firstEvents, Reason.REPLACED, "not reconnecting: another connection with this identity"),
                () -> firstEvents.errors().toString());
        assertTrue(
                anyErrorContains(firstEvents, Reason.REPLACED, "the signaling server reported replaced"),
                firstEvents.errors().toString());
        Await.until("the second transport is in the room", second::isInRoom);
        try (Probe probe = Probe.connect(server.uri())) {
            probe.roundTrip();
        }
        assertFalse(first.isInRoom());
        assertTrue(second.isInRoom());
        assertTrue(secondEvents.disconnects().isEmpty(), "the second connection is left alone");
    }
}
