package dev.ensemble.transport.ws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.signaling.protocol.ClientMessage;
import dev.ensemble.signaling.protocol.ErrorCode;
import dev.ensemble.signaling.protocol.Handshake;
import dev.ensemble.signaling.protocol.RelayFrame;
import dev.ensemble.signaling.protocol.ServerMessage;
import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.transport.RecordingListener;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A peer cannot pass for another: a forged hello is refused and the real owner of the identity
 * keeps its connection; a relay frame with someone else's key as sender is refused and never
 * reaches the addressee.
 */
class SpoofingTest {
    private static final String ROOM = "spoof-room";

    private TestServer server;
    private final List<WebSocketTransport> transports = new ArrayList<>();
    private PeerIdentity aliceIdentity;
    private WebSocketTransport alice;
    private RecordingListener aliceEvents;
    private WebSocketTransport bob;
    private RecordingListener bobEvents;

    @BeforeEach
    void startAliceAndBob() throws Exception {
        server = new TestServer();
        aliceIdentity = PeerIdentity.generate();
        alice = server.transport(ROOM, aliceIdentity);
        bob = server.transport(ROOM, PeerIdentity.generate());
        transports.add(alice);
        transports.add(bob);
        aliceEvents = new RecordingListener();
        bobEvents = new RecordingListener();
        alice.start(aliceEvents);
        bob.start(bobEvents);
        Await.until(
                "Alice and Bob see each other",
                () -> aliceEvents.isConnectedTo(bob.self()) && bobEvents.isConnectedTo(alice.self()));
    }

    @AfterEach
    void stopEverything() {
        transports.forEach(WebSocketTransport::close);
        server.close();
    }

    private void assertAliceAndBobUndisturbed() {
        assertTrue(alice.send(bob.self(), new byte[] {42}));
        Await.until("Bob still receives from Alice", () -> !bobEvents.messages().isEmpty());
        assertEquals(
                alice.self(),
                bobEvents.messages().get(bobEvents.messages().size() - 1).from());
        assertEquals(List.of(bob.self()), aliceEvents.connectEvents(), "Alice was never disconnected");
        assertTrue(aliceEvents.disconnects().isEmpty(), "Alice was never disconnected");
        assertEquals(List.of(alice.self()), bobEvents.connectEvents());
    }

    @Test
    void rejectsHelloClaimingAnotherPeersIdSignedWithTheWrongKey() throws Exception {
        try (Probe mallory = Probe.connect(server.uri())) {
            ServerMessage.Challenge challenge = mallory.next(ServerMessage.Challenge.class);
            ClientMessage.Hello own = Handshake.hello(PeerIdentity.generate(), challenge.nonce());
            mallory.sendMessage(new ClientMessage.Hello(aliceIdentity.peerId(), own.signature()));
            ServerMessage.Error error = mallory.next(ServerMessage.Error.class);
            assertEquals(ErrorCode.UNAUTHORIZED.code(), error.code());
            Await.until(
                    "the server closes the forger's connection with 1008",
                    () -> mallory.closeCode == 1008,
                    () -> "close code " + mallory.closeCode);
        }
        assertAliceAndBobUndisturbed();
    }

    @Test
    void rejectsHelloWithAWrongSignature() throws Exception {
        try (Probe mallory = Probe.connect(server.uri())) {
            ServerMessage.Challenge challenge = mallory.next(ServerMessage.Challenge.class);
            PeerIdentity identity = PeerIdentity.generate();
            byte[] signature = identity.sign(Handshake.signedBytes("not the nonce " + challenge.nonce()));
            mallory.sendMessage(new ClientMessage.Hello(
                    identity.peerId(), Base64.getEncoder().encodeToString(signature)));
            assertEquals(
                    ErrorCode.UNAUTHORIZED.code(),
                    mallory.next(ServerMessage.Error.class).code());
            Await.until(
                    "the server closes the forger's connection with 1008",
                    () -> mallory.closeCode == 1008,
                    () -> "close code " + mallory.closeCode);
        }
        assertAliceAndBobUndisturbed();
    }

    @Test
    void rejectsARelayFrameThatNamesAnotherPeerAsSender() throws Exception {
        PeerIdentity malloryIdentity = PeerIdentity.generate();
        PeerId mallory = malloryIdentity.peerId();
        try (Probe probe = Probe.welcomed(server.uri(), malloryIdentity)) {
            probe.sendMessage(new ClientMessage.Join(ROOM, null));
            probe.next(ServerMessage.Joined.class);
            Await.until("Bob sees Mallory", () -> bobEvents.isConnectedTo(mallory));
            PeerId bobKey = bob.self();

            probe.send(new RelayFrame(ROOM, aliceIdentity.peerId(), bobKey, new byte[] {6, 6, 6}).encode());
            assertEquals(
                    ErrorCode.BAD_REQUEST.code(),
                    probe.next(ServerMessage.Error.class).code());

            probe.send(new RelayFrame(ROOM, malloryIdentity.peerId(), bobKey, new byte[] {1}).encode());
            Await.until(
                    "Bob receives Mallory's honest frame",
                    () -> !bobEvents.messages().isEmpty());
            assertEquals(1, bobEvents.messages().size(), "the forged frame never reached Bob");
            assertEquals(mallory, bobEvents.messages().get(0).from());
            assertArrayEquals(new byte[] {1}, bobEvents.messages().get(0).message());
        }
    }
}
