package dev.ensemble.transport.ws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.signaling.protocol.ErrorCode;
import dev.ensemble.signaling.protocol.RelayFrame;
import dev.ensemble.signaling.protocol.ServerMessage;
import dev.ensemble.signaling.protocol.SignalingCodec;
import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.transport.RecordingListener;
import dev.ensemble.transport.Backoff;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.TransportException;
import dev.ensemble.transport.TransportException.Reason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.java_websocket.WebSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input from the server side: each bad frame is reported as an error naming what was wrong,
 * is not delivered, and the transport keeps working.
 */
class HostileServerTest {
    private static final String ROOM = "hostile-room";

    private final PeerIdentity self = PeerIdentity.generate();
    private final PeerIdentity member = PeerIdentity.generate();
    private final PeerIdentity stranger = PeerIdentity.generate();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final RecordingListener events = new RecordingListener();
    private WebSocketTransport transport;

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    private FakeServer fake(FakeServer.Script script) throws Exception {
        FakeServer server = new FakeServer(script, List.of(member.peerId()), stranger.peerId());
        resources.add(server);
        return server;
    }

    private void start(FakeServer server, Duration connectTimeout) {
        transport = WebSocketTransport.create(WebSocketTransportConfig.builder(server.uri(), ROOM, self)
                .backoff(Backoff.of(Duration.ofMillis(20), Duration.ofMillis(100), 0.5))
                .connectTimeout(connectTimeout)
                .build());
        resources.add(0, transport::close);
        transport.start(events);
    }

    private void awaitError(Reason reason, String text) {
        Await.until(
                "a " + reason + " error about room " + ROOM + " containing \"" + text + "\"",
                () -> events.errors().stream()
                        .anyMatch(e -> e.reason() == reason
                                && e.room().equals(Optional.of(ROOM))
                                && e.getMessage().contains(text)),
                this::lastErrors);
    }

    private String lastErrors() {
        List<TransportException> errors = events.errors();
        return errors.subList(Math.max(0, errors.size() - 5), errors.size()).toString();
    }

    @Test
    void reportsEachBadFrameAndKeepsDeliveringGoodOnes() throws Exception {
        FakeServer server = fake(FakeServer.Script.HONEST);
        start(server, Duration.ofSeconds(10));
        WebSocket connection = server.latest();
        Await.until("the member is reported", () -> events.isConnectedTo(member.peerId()));

        server.push(connection, "this is not JSON");
        awaitError(Reason.PROTOCOL_ERROR, "the signaling server sent a malformed control message, ignored");
        server.push(connection, "{\"type\":\"no-such-type\"}");
        Await.until("two errors", () -> events.errors().size() >= 2, this::lastErrors);
        server.push(connection, new byte[] {7, 1, 2});
        awaitError(Reason.PROTOCOL_ERROR, "malformed relay frame, ignored: relay frame version must be 1 but is 7");
        server.push(connection, new RelayFrame(ROOM, stranger.peerId(), self.peerId(), new byte[] {1}).encode());
        awaitError(
                Reason.PROTOCOL_ERROR,
                "relay frame from " + stranger.peerId() + ", who is not a known member of room " + ROOM + "; ignored");
        server.push(connection, new RelayFrame(ROOM, member.peerId(), stranger.peerId(), new byte[] {2}).encode());
        awaitError(Reason.PROTOCOL_ERROR, "relay frame for room " + ROOM + " and peer " + stranger.peerId());
        server.push(
                connection,
                "{\"type\":\"signal\",\"room\":\"" + ROOM + "\",\"from\":\"" + stranger.peerId() + "\",\"data\":{}}");
        awaitError(Reason.PROTOCOL_ERROR, "signal from " + stranger.peerId() + ", who is not a known member");
        server.push(
                connection,
                "{\"type\":\"peer-joined\",\"room\":\"elsewhere\",\"peerId\":\"" + stranger.peerId() + "\"}");
        awaitError(Reason.PROTOCOL_ERROR, "sent peer-joined for room elsewhere, which this transport did not join");

        server.push(connection, new RelayFrame(ROOM, member.peerId(), self.peerId(), new byte[] {9}).encode());
        Await.until("the good frame is delivered", () -> events.messages().size() == 1);
        assertArrayEquals(new byte[] {9}, events.messages().get(0).message());
        assertEquals(member.peerId(), events.messages().get(0).from());
        assertFalse(events.isConnectedTo(stranger.peerId()));
        assertEquals(1, server.connections.get(), "bad input never costs the connection");
    }

    @Test
    void anUnknownPeerErrorIsReportedWithItsPeerUnlessThePeerHasLeft() throws Exception {
        FakeServer server = fake(FakeServer.Script.HONEST);
        start(server, Duration.ofSeconds(10));
        WebSocket connection = server.latest();
        Await.until("the member is reported", () -> events.isConnectedTo(member.peerId()));

        // About a peer that is not (any longer) a member: a frame that crossed its departure; quiet.
        server.push(connection, unknownPeer(stranger.peerId()));
        // About a member: the server and this transport disagree; reported, with the peer.
        server.push(connection, unknownPeer(member.peerId()));
        Await.until(
                "the error about the member is reported",
                () -> events.errors().stream()
                        .anyMatch(e -> e.reason() == Reason.UNKNOWN_PEER
                                && e.peer().equals(Optional.of(member.peerId()))
                                && e.getMessage()
                                        .equals("the signaling server reported unknown-peer: relay frame: peer "
                                                + member.peerId() + " is not in room '" + ROOM + "'")),
                this::lastErrors);
        assertEquals(1, events.errors().size(), "only the error about the member: " + lastErrors());
    }

    private static String unknownPeer(PeerId peer) {
        return SignalingCodec.encode(ServerMessage.Error.of(
                ErrorCode.UNKNOWN_PEER, "relay frame: peer " + peer + " is not in room '" + ROOM + "'", ROOM, peer));
    }

    @Test
    void reconnectsWhenWelcomedUnderAnotherIdentity() throws Exception {
        FakeServer server = fake(FakeServer.Script.WELCOMES_SOMEONE_ELSE);
        start(server, Duration.ofSeconds(10));
        awaitError(
                Reason.HANDSHAKE_FAILED,
                "the signaling server welcomed " + stranger.peerId() + " but this peer is " + self.peerId());
        Await.until("the transport tries again", () -> server.connections.get() >= 2);
        assertFalse(transport.isInRoom());
    }

    @Test
    void refusesAWelcomeThatCameWithoutAChallengeAndSendsNoJoinToken() throws Exception {
        // A server that skips the challenge would get a join with no challenge to bind its token to (a closed
        // room's proof of possession), or with the nonce of an earlier connection's challenge.
        FakeServer server =
                new FakeServer(FakeServer.Script.WELCOMES_WITHOUT_CHALLENGE, List.of(member.peerId()), self.peerId());
        resources.add(server);
        List<String> nonces = new java.util.concurrent.CopyOnWriteArrayList<>();
        transport = WebSocketTransport.create(WebSocketTransportConfig.builder(server.uri(), ROOM, self)
                .backoff(Backoff.of(Duration.ofMillis(20), Duration.ofMillis(100), 0.5))
                .joinTokenFromNonce(nonce -> {
                    nonces.add(String.valueOf(nonce));
                    return "token";
                })
                .build());
        resources.add(0, transport::close);
        transport.start(events);
        awaitError(Reason.HANDSHAKE_FAILED, "the signaling server sent welcome before any challenge");
        Await.until("the transport tries again", () -> server.connections.get() >= 2);
        assertTrue(server.joinedConnections.isEmpty(), "no join was sent");
        assertEquals(List.of(), nonces, "no join token was made");
        assertFalse(transport.isInRoom());
    }

    @Test
    void aChallengeNoBearerProofCanBindToIsAHandshakeFailureNamingTheReason() throws Exception {
        FakeServer server = fake(FakeServer.Script.CHALLENGES_WITH_A_LONG_NONCE);
        PeerIdentity owner = PeerIdentity.generate();
        java.time.Instant now = java.time.Instant.now();
        dev.ensemble.transport.membership.HeldInvite held =
                dev.ensemble.transport.membership.HeldInvite.issueBearer(owner, ROOM, false, now, now.plusSeconds(600));
        transport = WebSocketTransport.create(WebSocketTransportConfig.builder(server.uri(), ROOM, self)
                .backoff(Backoff.of(Duration.ofMillis(20), Duration.ofMillis(100), 0.5))
                .joinTokenFromNonce(nonce -> held.joinToken(self.peerId(), nonce))
                .build());
        resources.add(0, transport::close);
        transport.start(events);
        awaitError(
                Reason.HANDSHAKE_FAILED,
                "cannot make the join token from the signaling server's challenge: a server's challenge nonce must"
                        + " be 1 to 255 bytes of UTF-8 but has 300");
        assertTrue(server.joinedConnections.isEmpty(), "no join was sent");
    }

    @Test
    void abandonsAnAttemptThatDoesNotReachTheRoomInTime() throws Exception {
        FakeServer server = fake(FakeServer.Script.SILENT);
        start(server, Duration.ofMillis(200));
        awaitError(Reason.HANDSHAKE_FAILED, "did not reach the room within the connect timeout of PT0.2S");
        Await.until("the transport tries again", () -> server.connections.get() >= 2);
        assertTrue(events.connectEvents().isEmpty());
    }

    @Test
    void aFrameAboveTheIncomingLimitCostsTheConnectionWhichIsThenReopened() throws Exception {
        FakeServer server = fake(FakeServer.Script.HONEST);
        start(server, Duration.ofSeconds(10));
        WebSocket connection = server.latest();
        Await.until("the member is reported", () -> events.isConnectedTo(member.peerId()));
        server.push(connection, new byte[WebSocketTransport.MAX_INCOMING_FRAME_BYTES + 1]);
        awaitError(Reason.TOO_LARGE, "closed by this side with code 1009");
        Await.until(
                "the member is reported lost",
                () -> events.disconnects().stream().anyMatch(d -> d.peer().equals(member.peerId())));
        server.latest();
        Await.until(
                "the member is reported again after the reconnect",
                () -> events.connectEvents().size() == 2 && events.isConnectedTo(member.peerId()));
        assertEquals(2, server.connections.get());
    }
}
