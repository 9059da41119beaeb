package dev.ensemble.signaling.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ensemble.signaling.protocol.ClientMessage;
import dev.ensemble.signaling.protocol.ErrorCode;
import dev.ensemble.signaling.protocol.Handshake;
import dev.ensemble.signaling.protocol.RelayFrame;
import dev.ensemble.signaling.protocol.ServerMessage;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The protocol against one server; {@link ClusteredSignalingServerTest} runs it again with peers spread over nodes. */
class SignalingServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    final ServerFixture fixture = fixture();

    /** Single servers; a subclass returns a clustered fixture. */
    ServerFixture fixture() {
        return new ServerFixture();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        fixture.close();
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void twoPeersExchangeSignalsAndRelayedData() throws Exception {
        SignalingServer server = fixture.start();
        TestClient alice = fixture.verified(server);
        TestClient bob = fixture.verified(server);
        PeerId aliceId = alice.identity.peerId();
        PeerId bobId = bob.identity.peerId();

        assertEquals(List.of(), alice.join("lobby").peers());
        assertEquals(List.of(aliceId), bob.joinKnowing("lobby", alice));
        assertEquals(new ServerMessage.PeerJoined("lobby", bobId), alice.expect(ServerMessage.PeerJoined.class));

        alice.send(new ClientMessage.Signal("lobby", bobId, json("{\"sdp\":\"v=0 offer\"}")));
        ServerMessage.RelayedSignal offer = bob.expect(ServerMessage.RelayedSignal.class);
        assertEquals(new ServerMessage.RelayedSignal("lobby", aliceId, json("{\"sdp\":\"v=0 offer\"}")), offer);
        bob.send(new ClientMessage.Signal("lobby", aliceId, json("{\"sdp\":\"v=0 answer\"}")));
        assertEquals(bobId, alice.expect(ServerMessage.RelayedSignal.class).from());

        byte[] payload = {1, 2, 3, 4, 5};
        byte[] frame = new RelayFrame("lobby", aliceId, bobId, payload).encode();
        alice.sendBinary(frame);
        byte[] relayed = bob.expect(byte[].class);
        assertArrayEquals(frame, relayed);
        assertArrayEquals(
                payload, RelayFrame.decode(java.nio.ByteBuffer.wrap(relayed)).payload());
    }

    @Test
    void threePeersSeeEachOtherAndSignalsReachOnlyTheAddressee() throws Exception {
        SignalingServer server = fixture.start();
        TestClient a = fixture.verified(server);
        TestClient b = fixture.verified(server);
        TestClient c = fixture.verified(server);
        a.join("trio");
        b.joinKnowing("trio", a);
        a.expect(ServerMessage.PeerJoined.class);
        assertEquals(Set.of(a.identity.peerId(), b.identity.peerId()), Set.copyOf(c.joinKnowing("trio", a, b)));
        assertEquals(
                c.identity.peerId(), a.expect(ServerMessage.PeerJoined.class).peerId());
        assertEquals(
                c.identity.peerId(), b.expect(ServerMessage.PeerJoined.class).peerId());

        a.send(new ClientMessage.Signal("trio", c.identity.peerId(), json("{\"candidate\":\"x\"}")));
        assertEquals(
                a.identity.peerId(), c.expect(ServerMessage.RelayedSignal.class).from());
        c.sendBinary(new RelayFrame("trio", c.identity.peerId(), b.identity.peerId(), new byte[] {9}).encode());
        assertArrayEquals(
                new byte[] {9},
                RelayFrame.decode(java.nio.ByteBuffer.wrap(b.expect(byte[].class)))
                        .payload());

        b.send(new ClientMessage.Leave("trio"));
        assertEquals(new ServerMessage.Left("trio"), b.expect(ServerMessage.Left.class));
        assertEquals(new ServerMessage.PeerLeft("trio", b.identity.peerId()), a.expect(ServerMessage.PeerLeft.class));
        assertEquals(new ServerMessage.PeerLeft("trio", b.identity.peerId()), c.expect(ServerMessage.PeerLeft.class));
        a.expectNothing(Duration.ofMillis(100));
    }

    @Test
    void rejectsHelloWithWrongSignature() throws Exception {
        SignalingServer server = fixture.start();
        TestClient victim = fixture.verified(server);
        TestClient spoofer = fixture.connected(server);
        // The spoofer claims the victim's identity but can only sign with its own key.
        String signature = Handshake.hello(spoofer.identity, spoofer.nonce).signature();
        spoofer.send(new ClientMessage.Hello(victim.identity.peerId(), signature));
        String message = spoofer.expectError(ErrorCode.UNAUTHORIZED);
        assertTrue(message.contains("signature does not verify for " + victim.identity.peerId()), message);
        assertEquals(1008, spoofer.awaitClosed().code());
        victim.assertOpen();
        victim.join("still-served");
    }

    @Test
    void rejectsASignatureOfAnotherNonce() throws Exception {
        SignalingServer server = fixture.start();
        TestClient replayer = fixture.connected(server);
        replayer.send(Handshake.hello(replayer.identity, "b3RoZXIgbm9uY2U="));
        replayer.expectError(ErrorCode.UNAUTHORIZED);
        replayer.awaitClosed();
    }

    @Test
    void acceptsNothingButHelloBeforeTheHandshake() throws Exception {
        SignalingServer server = fixture.start();
        TestClient early = fixture.connected(server);
        early.send(new ClientMessage.Join("lobby", null));
        String message = early.expectError(ErrorCode.UNAUTHORIZED);
        assertTrue(message.contains("only hello is accepted before the handshake"), message);
        assertEquals(1008, early.awaitClosed().code());

        TestClient binary = fixture.connected(server);
        PeerId someone = PeerIdentity.generate().peerId();
        binary.sendBinary(new RelayFrame("lobby", binary.identity.peerId(), someone, new byte[1]).encode());
        binary.expectError(ErrorCode.UNAUTHORIZED);
        binary.awaitClosed();

        TestClient garbage = fixture.connected(server);
        garbage.sendText("{not json");
        garbage.expectError(ErrorCode.BAD_REQUEST);
        garbage.awaitClosed();
    }

    @Test
    void closesAConnectionThatDoesNotCompleteTheHandshakeInTime() throws Exception {
        SignalingServer server = fixture.start(b -> b.handshakeTimeout(Duration.ofMillis(300)));
        TestClient slow = fixture.connected(server);
        slow.expectError(ErrorCode.HANDSHAKE_TIMEOUT);
        assertEquals(1008, slow.awaitClosed().code());
    }

    @Test
    void reportsADroppedClientAsLeft() throws Exception {
        SignalingServer server = fixture.start();
        TestClient stays = fixture.verified(server);
        TestClient drops = fixture.verified(server);
        stays.join("room");
        drops.join("room");
        stays.expect(ServerMessage.PeerJoined.class);
        drops.drop();
        assertEquals(
                new ServerMessage.PeerLeft("room", drops.identity.peerId()),
                stays.expect(ServerMessage.PeerLeft.class));
        stays.send(new ClientMessage.Signal("room", drops.identity.peerId(), json("{}")));
        stays.expectError(ErrorCode.UNKNOWN_PEER);
    }

    @Test
    void closesAConnectionThatStopsAnsweringPings() throws Exception {
        SignalingServer server = fixture.start(b -> b.idleTimeout(Duration.ofSeconds(1)));
        TestClient watcher = fixture.verified(server);
        PeerIdentity silentIdentity = PeerIdentity.generate();
        TestClient silent =
                fixture.track(TestClient.connect(fixture.node(server).uri(), silentIdentity, false));
        silent.send(Handshake.hello(silentIdentity, silent.nonce));
        silent.expect(ServerMessage.Welcome.class);
        watcher.join("r");
        silent.join("r");
        assertEquals(
                silentIdentity.peerId(),
                watcher.expect(ServerMessage.PeerJoined.class).peerId());
        assertEquals(
                new ServerMessage.PeerLeft("r", silentIdentity.peerId()),
                watcher.awaitMessage(ServerMessage.PeerLeft.class, left -> true));
        silent.awaitClosed();
        watcher.assertOpen();
    }

    @Test
    void secondConnectionWithTheSameIdentityReplacesTheFirst() throws Exception {
        SignalingServer server = fixture.start();
        PeerIdentity identity = PeerIdentity.generate();
        TestClient other = fixture.verified(server);
        TestClient first =
                fixture.track(TestClient.verified(fixture.node(server).uri(), identity));
        other.join("room");
        first.joinKnowing("room", other);
        other.expect(ServerMessage.PeerJoined.class);

        TestClient second =
                fixture.track(TestClient.verified(fixture.node(server).uri(), identity));
        first.expectError(ErrorCode.REPLACED);
        assertEquals(Hub.CLOSE_REPLACED, first.awaitClosed().code());
        assertEquals(new ServerMessage.PeerLeft("room", identity.peerId()), other.expect(ServerMessage.PeerLeft.class));

        assertEquals(List.of(other.identity.peerId()), second.join("room").peers());
        assertEquals(
                identity.peerId(), other.expect(ServerMessage.PeerJoined.class).peerId());
        other.send(new ClientMessage.Signal("room", identity.peerId(), json("{\"n\":1}")));
        assertEquals(
                other.identity.peerId(),
                second.expect(ServerMessage.RelayedSignal.class).from());
        other.expectNothing(Duration.ofMillis(100));
    }

    @Test
    void answersMalformedFramesWithBadRequestAndKeepsServing() throws Exception {
        SignalingServer server = fixture.start();
        TestClient client = fixture.verified(server);
        String[][] cases = {
            {"{not json", "frame is not valid JSON"},
            {"[]", "frame must be a JSON object"},
            {"{\"type\":\"dance\"}", "unknown message type 'dance'"},
            {"{\"type\":\"join\"}", "join: field \"room\" is required"},
            {
                "{\"type\":\"signal\",\"room\":\"r\",\"to\":\"did:key:z6Mk\",\"data\":{}}",
                "signal: field \"to\" is not a peer id"
            },
            {
                "{\"type\":\"signal\",\"room\":\"r\",\"to\":\"" + client.identity.peerId() + "\"}",
                "signal: field \"data\" is required"
            },
        };
        for (String[] testCase : cases) {
            client.sendText(testCase[0]);
            String message = client.expectError(ErrorCode.BAD_REQUEST);
            assertTrue(message.contains(testCase[1]), () -> "'" + testCase[1] + "' not in: " + message);
        }
        client.sendBinary(new byte[] {7, 7, 7});
        assertTrue(client.expectError(ErrorCode.BAD_REQUEST).contains("relay frame"));
        client.send(Handshake.hello(client.identity, client.nonce));
        assertTrue(client.expectError(ErrorCode.BAD_REQUEST).contains("already verified"));
        client.assertOpen();
        assertEquals(List.of(), client.join("after-garbage").peers());
        String metrics = ServerFixture.http(server, "/metrics");
        assertTrue(metrics.contains("ensemble_signaling_errors_total{code=\"bad-request\"} 8"), metrics);
    }

    @Test
    void refusesToAddressPeersOutsideSharedRooms() throws Exception {
        SignalingServer server = fixture.start();
        TestClient alice = fixture.verified(server);
        TestClient bob = fixture.verified(server);
        PeerId aliceId = alice.identity.peerId();
        PeerId bobId = bob.identity.peerId();
        alice.join("a-room");
        bob.join("b-room");

        alice.send(new ClientMessage.Signal("b-room", bobId, json("{}")));
        assertTrue(alice.expectError(ErrorCode.NOT_IN_ROOM).contains("not in room 'b-room'"));
        alice.send(new ClientMessage.Signal("a-room", bobId, json("{}")));
        assertTrue(alice.expectError(ErrorCode.UNKNOWN_PEER).contains("is not in room 'a-room'"));
        alice.sendBinary(new RelayFrame("a-room", aliceId, bobId, new byte[3]).encode());
        ServerMessage.Error unknown = alice.expect(ServerMessage.Error.class);
        assertEquals(
                new ServerMessage.Error(
                        ErrorCode.UNKNOWN_PEER.code(),
                        "relay frame: peer " + bobId + " is not in room 'a-room'",
                        java.util.Optional.of("a-room"),
                        java.util.Optional.of(bobId)),
                unknown,
                "the error names the room and the addressee");
        alice.sendBinary(new RelayFrame("b-room", aliceId, bobId, new byte[3]).encode());
        assertEquals(
                java.util.Optional.of("b-room"),
                alice.expect(ServerMessage.Error.class).room());
        alice.send(new ClientMessage.Leave("b-room"));
        alice.expectError(ErrorCode.NOT_IN_ROOM);

        bob.joinKnowing("a-room", alice);
        alice.expect(ServerMessage.PeerJoined.class);
        alice.sendBinary(new RelayFrame("a-room", bobId, bobId, new byte[3]).encode());
        assertTrue(alice.expectError(ErrorCode.BAD_REQUEST).contains("'from' must be your own key"));
        bob.expectNothing(Duration.ofMillis(100));
    }

    @Test
    void dropsOversizedFramesWithTooLargeAndClosesBeyondTheHardLimit() throws Exception {
        SignalingServer server = fixture.start(b -> b.maxFrameBytes(4096));
        TestClient alice = fixture.verified(server);
        TestClient bob = fixture.verified(server);
        alice.join("r");
        bob.joinKnowing("r", alice);
        alice.expect(ServerMessage.PeerJoined.class);

        alice.sendBinary(new RelayFrame("r", alice.identity.peerId(), bob.identity.peerId(), new byte[5000]).encode());
        assertTrue(alice.expectError(ErrorCode.TOO_LARGE).contains("larger than the 4096-byte limit"));
        alice.sendText("{\"type\":\"leave\",\"room\":\"" + "x".repeat(5000) + "\"}");
        alice.expectError(ErrorCode.TOO_LARGE);
        alice.sendBinary(new RelayFrame("r", alice.identity.peerId(), bob.identity.peerId(), new byte[4000]).encode());
        assertEquals(4000 + 67, bob.expect(byte[].class).length);

        alice.sendBinary(new byte[4096 * SignalingServerConfig.HARD_FRAME_LIMIT_FACTOR + 1]);
        assertEquals(
                "a frame over the hard limit of 16384 bytes (4 times the frame limit) is not even read: the"
                        + " connection is closed with 1009; keep frames within the frame limit of 4096 bytes that"
                        + " welcome announced",
                alice.expectError(ErrorCode.TOO_LARGE),
                "the reason comes before the close frame");
        assertEquals(1009, alice.awaitClosed().code());
        assertEquals(
                alice.identity.peerId(),
                bob.expect(ServerMessage.PeerLeft.class).peerId());
        String metrics = ServerFixture.http(server, "/metrics");
        assertTrue(metrics.contains("ensemble_signaling_errors_total{code=\"too-large\"} 3"), metrics);
    }

    @Test
    void rateLimitsAFloodAndDisconnectsAPersistentOne() throws Exception {
        // A frozen rate clock: no token is ever refilled, so exactly the burst of 10 passes and every further
        // signal counts against the threshold. The flooder then sends exactly up to the threshold and no more:
        // the server closes without reading anything after it, so the client reads the error before the close.
        long frozen = System.nanoTime();
        SignalingServer server = fixture.start(b -> b.signalRate(new RateLimit(10, 10))
                .floodDisconnectThreshold(200)
                .rateClock(() -> frozen));
        TestClient flooder = fixture.verified(server);
        TestClient target = fixture.verified(server);
        TestClient bystander = fixture.verified(server);
        flooder.join("r");
        target.joinKnowing("r", flooder);
        bystander.join("other");
        // A peer is addressable once the server has announced it: on a cluster the target may sit on
        // another node, whose join reaches the flooder's node through Redis a moment after `joined`.
        assertEquals(
                target.identity.peerId(),
                flooder.expect(ServerMessage.PeerJoined.class).peerId());
        for (int i = 0; i < 15; i++) {
            flooder.send(new ClientMessage.Signal("r", target.identity.peerId(), json("{\"i\":" + i + "}")));
        }
        flooder.awaitMessage(ServerMessage.Error.class, e -> e.code().equals("rate-limited"));
        for (int i = 0; i < 10; i++) {
            assertEquals(
                    i,
                    target.expect(ServerMessage.RelayedSignal.class)
                            .data()
                            .get("i")
                            .asInt());
        }
        for (int i = 15; i < 210; i++) {
            flooder.send(new ClientMessage.Signal("r", target.identity.peerId(), json("{\"i\":" + i + "}")));
        }
        ServerMessage.Error last = flooder.awaitMessage(
                ServerMessage.Error.class,
                e -> e.code().equals("rate-limited") && e.message().contains("disconnecting"));
        assertTrue(
                last.message().contains("200 messages over the rate limits within 10 s (last: signal)"),
                last.message());
        assertEquals(1008, flooder.awaitClosed().code());
        bystander.assertOpen();
        bystander.join("still-fine");
        String metrics = ServerFixture.http(server, "/metrics");
        assertTrue(metrics.contains("ensemble_signaling_errors_total{code=\"rate-limited\"}"), metrics);
    }

    @Test
    void enforcesPeersPerRoomAndRoomsPerConnection() throws Exception {
        SignalingServer server = fixture.start(b -> b.maxPeersPerRoom(2).maxRoomsPerConnection(2));
        TestClient a = fixture.verified(server);
        TestClient b = fixture.verified(server);
        TestClient c = fixture.verified(server);
        a.join("small");
        b.joinKnowing("small", a);
        a.expect(ServerMessage.PeerJoined.class);
        c.send(new ClientMessage.Join("small", null));
        assertTrue(c.expectError(ErrorCode.ROOM_FULL).contains("maximum of 2 peers"));
        a.join("second");
        a.send(new ClientMessage.Join("third", null));
        assertTrue(a.expectError(ErrorCode.TOO_MANY_ROOMS).contains("at most 2 rooms"));
        b.send(new ClientMessage.Leave("small"));
        b.expect(ServerMessage.Left.class);
        // In a cluster, b's node confirms the leave before Redis has it; a (on another node) hears
        // of it only after Redis has it (DEPLOYMENT.md), and from then on every node sees the place free.
        a.expect(ServerMessage.PeerLeft.class);
        assertEquals(List.of(a.identity.peerId()), c.join("small").peers());
    }

    @Test
    void requiresValidJoinTokensWhenConfigured() throws Exception {
        String secret = "0123456789abcdef-secret";
        SignalingServer server = fixture.start(b -> b.joinTokenSecret(secret));
        JoinTokens tokens = new JoinTokens(secret, java.time.Clock.systemUTC());
        TestClient alice = fixture.verified(server);
        PeerId aliceId = alice.identity.peerId();

        alice.send(new ClientMessage.Join("vip", null));
        assertTrue(alice.expectError(ErrorCode.UNAUTHORIZED).contains("requires a join token"));
        alice.send(new ClientMessage.Join("vip", tokens.issue("other", aliceId, Duration.ofMinutes(1))));
        assertTrue(alice.expectError(ErrorCode.UNAUTHORIZED).contains("is for room 'other'"));
        alice.send(new ClientMessage.Join("vip", tokens.issue("vip", aliceId, Duration.ofSeconds(-5))));
        assertTrue(alice.expectError(ErrorCode.UNAUTHORIZED).contains("expired"));
        alice.send(new ClientMessage.Join(
                "vip", tokens.issue("vip", PeerIdentity.generate().peerId(), Duration.ofMinutes(1))));
        assertTrue(alice.expectError(ErrorCode.UNAUTHORIZED).contains("belongs to peer"));
        String forged = new JoinTokens("another-secret-entirely", java.time.Clock.systemUTC())
                .issue("vip", aliceId, Duration.ofMinutes(1));
        alice.send(new ClientMessage.Join("vip", forged));
        assertTrue(alice.expectError(ErrorCode.UNAUTHORIZED).contains("signature is not valid"));
        alice.send(new ClientMessage.Join("vip", tokens.issue("vip", aliceId, Duration.ofMinutes(1))));
        assertEquals("vip", alice.expect(ServerMessage.Joined.class).room());
        alice.send(new ClientMessage.Join("open-to-all", tokens.issue("open-to-all", null, Duration.ofMinutes(1))));
        assertEquals("open-to-all", alice.expect(ServerMessage.Joined.class).room());
    }

    @Test
    void consultsTheJoinAuthorizer() throws Exception {
        PeerIdentity staff = PeerIdentity.generate();
        SignalingServer server = fixture.start(
                b -> b.joinAuthorizer((peer, room, token) -> room.startsWith("staff/") && !peer.equals(staff.peerId())
                        ? JoinDecision.deny("staff only")
                        : JoinDecision.allow()));
        TestClient guest = fixture.verified(server);
        TestClient member =
                fixture.track(TestClient.verified(fixture.node(server).uri(), staff));
        guest.send(new ClientMessage.Join("staff/room", null));
        assertTrue(guest.expectError(ErrorCode.UNAUTHORIZED).contains("staff only"));
        member.join("staff/room");
        guest.join("public");
    }

    @Test
    void handsOutStunAndTurnWithCredentialsCoturnAccepts() throws Exception {
        String secret = "coturn-static-auth-secret";
        java.time.Instant now = java.time.Instant.parse("2030-01-01T00:00:00Z");
        SignalingServer server = fixture.start(b -> b.stunUrls(List.of("stun:stun.test:3478"))
                .turnUrls(List.of("turn:turn.test:3478?transport=udp"))
                .turnSecret(secret)
                .turnCredentialTtl(Duration.ofHours(2))
                .clock(java.time.Clock.fixed(now, java.time.ZoneOffset.UTC)));
        // The all-zero seed's identity, so that the expected credential can be computed elsewhere.
        PeerIdentity identity = PeerIdentity.fromSeed(new byte[32]);
        assertEquals(
                "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp",
                identity.peerId().toString());
        TestClient client =
                fixture.track(TestClient.connect(fixture.node(server).uri(), identity, true));
        client.send(Handshake.hello(identity, client.nonce));
        ServerMessage.Welcome welcome = client.expect(ServerMessage.Welcome.class);
        assertEquals(
                java.util.OptionalInt.of(SignalingServerConfig.DEFAULT_MAX_FRAME_BYTES),
                welcome.maxFrameBytes(),
                "the welcome announces the frame limit");
        assertEquals(List.of("stun:stun.test:3478"), welcome.iceServers().get(0).urls());
        var turn = welcome.iceServers().get(1);
        assertEquals(List.of("turn:turn.test:3478?transport=udp"), turn.urls());
        assertEquals("1893463200:" + identity.peerId(), turn.username());
        // Computed independently of the server's JCA path, with Python's hmac module:
        // base64(HMAC-SHA1(b"coturn-static-auth-secret", b"1893463200:did:key:z6MkiTBz...DooWp")).
        assertEquals("bHt7aSHBz4ZvcR/zpeXxNCGwXIM=", turn.credential());
    }

    @Test
    void servesHealthAndMetricsWithTheCounters() throws Exception {
        SignalingServer server = fixture.start();
        assertEquals("200 ok\n", ServerFixture.http(server, "/healthz"));
        TestClient alice = fixture.verified(server);
        TestClient bob = fixture.verified(server);
        alice.join("m");
        bob.joinKnowing("m", alice);
        alice.expect(ServerMessage.PeerJoined.class);
        alice.sendBinary(new RelayFrame("m", alice.identity.peerId(), bob.identity.peerId(), new byte[10]).encode());
        bob.expect(byte[].class);
        alice.send(new ClientMessage.Leave("nowhere"));
        alice.expectError(ErrorCode.NOT_IN_ROOM);
        String metrics = ServerFixture.http(server, "/metrics");
        assertTrue(metrics.startsWith("200 "), metrics);
        for (String expected : List.of(
                "ensemble_signaling_connections 2",
                "ensemble_signaling_peers 2",
                "ensemble_signaling_rooms 1",
                "ensemble_signaling_connections_opened_total 2",
                "ensemble_signaling_messages_received_total{type=\"hello\"} 2",
                "ensemble_signaling_messages_received_total{type=\"join\"} 2",
                "ensemble_signaling_messages_received_total{type=\"relay\"} 1",
                "ensemble_signaling_bytes_received_total{type=\"relay\"} 77",
                "ensemble_signaling_messages_sent_total{type=\"relay\"} 1",
                "ensemble_signaling_messages_sent_total{type=\"welcome\"} 2",
                "ensemble_signaling_messages_sent_total{type=\"peer-joined\"} 1",
                "ensemble_signaling_errors_total{code=\"not-in-room\"} 1",
                "ensemble_signaling_relay_latency_seconds_count 1",
                "# TYPE ensemble_signaling_relay_latency_seconds histogram")) {
            assertTrue(metrics.contains(expected + "\n"), () -> "missing '" + expected + "' in\n" + metrics);
        }
    }

    @Test
    void tellsClientsWhenShuttingDown() throws Exception {
        SignalingServer server = fixture.start();
        TestClient client = fixture.verified(server);
        server.stop(Duration.ofSeconds(2));
        client.expectError(ErrorCode.SHUTTING_DOWN);
        assertEquals(1001, client.awaitClosed().code());
    }
}
