package dev.ensemble.transport.webrtc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.signaling.server.SignalingServer;
import dev.ensemble.signaling.server.SignalingServerConfig;
import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.net.FreePorts;
import dev.ensemble.testkit.net.NetNamespace;
import dev.ensemble.testkit.process.ChildProcess;
import dev.ensemble.testkit.transport.RecordingListener;
import dev.ensemble.testkit.transport.TestPeers;
import dev.ensemble.transport.IceServer;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.webrtc.room.RoomPeer;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay path through a real TURN server: coturn with {@code use-auth-secret} (time-limited
 * credentials, as a signaling server hands out in its {@code welcome}) and the relay-only ICE
 * policy. Runs inside netns-run where coturn's {@code turnserver} is installed (Debian package
 * {@code coturn}); skipped otherwise. One test takes the whole path: the signaling server issues
 * the TURN credentials in its {@code welcome}, and collaboration actors sync through the relay.
 */
class TurnRelayTest {

    static final PeerId ALICE = TestPeers.id("alice");
    static final PeerId BOB = TestPeers.id("bob");
    static final String SECRET = "ensemble-test-secret";
    static final String HOST = NetNamespace.VETH_ADDRESS;

    @TempDir
    Path workDir;

    ChildProcess turn;
    MemorySignalHub hub;
    final List<WebRtcTransport> transports = new ArrayList<>();

    @BeforeEach
    void startTurnServer() throws Exception {
        NetNamespace.assumeInside();
        Optional<Path> turnserver = ChildProcess.findOnPath("turnserver");
        Assumptions.assumeTrue(
                turnserver.isPresent(), "the TURN test needs coturn's turnserver (Debian package coturn)");
        int port = FreePorts.udp(InetAddress.getByName(HOST));
        turn = ChildProcess.builder(List.of(
                        turnserver.get().toString(),
                        "-n",
                        "-v",
                        "--listening-ip",
                        HOST,
                        "--relay-ip",
                        HOST,
                        "--listening-port",
                        Integer.toString(port),
                        "--use-auth-secret",
                        "--static-auth-secret",
                        SECRET,
                        "--realm",
                        "ensemble.test",
                        "--no-tls",
                        "--no-dtls",
                        "--no-cli",
                        "--fingerprint",
                        "--min-port",
                        "49152",
                        "--max-port",
                        "49300",
                        "--log-file",
                        "stdout",
                        "--simple-log",
                        "--pidfile",
                        workDir.resolve("turnserver.pid").toString(),
                        "--db",
                        workDir.resolve("turndb").toString()))
                .start(workDir, "turnserver");
        turn.awaitLine("that it listens", Duration.ofSeconds(10), line -> line.contains("UDP listener opened on"));
        hub = new MemorySignalHub();
        turnUrl = "turn:" + HOST + ":" + port + "?transport=udp";
    }

    String turnUrl;

    @AfterEach
    void stopAll() throws Exception {
        for (WebRtcTransport transport : transports) {
            transport.close();
        }
        if (hub != null) {
            hub.close();
        }
        if (turn != null) {
            turn.close();
        }
    }

    @Test
    void connectsThroughTheTurnRelayWithRelayOnlyPolicy() throws Exception {
        RecordingListener aliceEvents = new RecordingListener();
        RecordingListener bobEvents = new RecordingListener();
        // Alice takes the TURN server from the signaling server's welcome, Bob from his own config.
        WebRtcTransport alice = WebRtcTransport.create(
                ALICE,
                hub.endpoint(ALICE),
                WebRtcConfig.builder().relayOnly(true).build());
        transports.add(alice);
        alice.start(aliceEvents);
        alice.useServerIceServers(List.of(turnServer(ALICE, SECRET)));
        WebRtcTransport bob = transport(BOB, bobEvents);
        alice.connect(BOB);
        bob.connect(ALICE);
        Await.until(
                "both sides connect through the TURN relay",
                Duration.ofSeconds(20),
                () -> aliceEvents.isConnectedTo(BOB) && bobEvents.isConnectedTo(ALICE));

        byte[] message = "through the relay".getBytes(StandardCharsets.UTF_8);
        assertTrue(alice.send(BOB, message));
        Await.until(
                "delivery", Duration.ofSeconds(10), () -> bobEvents.messages().size() == 1);
        assertArrayEquals(message, bobEvents.messages().get(0).message());

        List<MemorySignalHub.Sent> candidates = hub.sent().stream()
                .filter(s -> s.json().startsWith("{\"candidate\":{\"candidate\":\"candidate:"))
                .toList();
        assertFalse(candidates.isEmpty(), "candidates were trickled");
        assertTrue(
                candidates.stream().allMatch(s -> s.json().contains(" typ relay")),
                "relay-only: every candidate is a relay candidate");
    }

    @Test
    void collaborationActorsConvergeThroughTurnWithCredentialsFromTheSignalingServer() throws Exception {
        SignalingServer server = new SignalingServer(SignalingServerConfig.loopback()
                        .turnUrls(List.of(turnUrl))
                        .turnSecret(SECRET)
                        .build())
                .start();
        URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/");
        WebRtcConfig relayOnly =
                RoomPeer.fastRedial().toBuilder().relayOnly(true).build();
        try (RoomPeer alice = new RoomPeer(uri, "turn-room", "alice", relayOnly);
                RoomPeer bob = new RoomPeer(uri, "turn-room", "bob", relayOnly)) {
            Await.until(
                    "both reach each other over WebRTC, relayed by TURN with the server's credentials",
                    Duration.ofSeconds(20),
                    () -> "webrtc".equals(alice.transportTo(bob.id())) && "webrtc".equals(bob.transportTo(alice.id())));
            alice.notes().actions().add("relayed by TURN");
            Await.until(
                    "Bob has the line",
                    Duration.ofSeconds(10),
                    () -> bob.notes().state().lines().equals(List.of("relayed by TURN")));
        } finally {
            server.stop(Duration.ofSeconds(1));
        }
    }

    @Test
    void neverConnectsWithWrongTurnCredentials() throws Exception {
        RecordingListener aliceEvents = new RecordingListener();
        RecordingListener bobEvents = new RecordingListener();
        transport(ALICE, aliceEvents, "wrong-secret");
        WebRtcTransport bob = transport(BOB, bobEvents, "wrong-secret");
        bob.connect(ALICE);
        transports.get(0).connect(BOB);
        Await.until(
                "the connect timeout is reported",
                Duration.ofSeconds(10),
                () -> !bobEvents.errors().isEmpty());
        assertTrue(
                bobEvents
                        .errors()
                        .get(0)
                        .getMessage()
                        .contains("ICE policy relay-only, 1 ICE" + " server(s) of which 1 TURN"),
                bobEvents.errors().get(0).getMessage());
        assertTrue(
                aliceEvents.connectedPeers().isEmpty()
                        && bobEvents.connectedPeers().isEmpty(),
                "no connection without a relay allocation");
    }

    WebRtcTransport transport(PeerId self, RecordingListener listener) throws Exception {
        return transport(self, listener, SECRET);
    }

    WebRtcTransport transport(PeerId self, RecordingListener listener, String secret) throws Exception {
        WebRtcConfig config = WebRtcConfig.builder()
                .iceServers(List.of(turnServer(self, secret)))
                .relayOnly(true)
                .connectTimeout(Duration.ofSeconds(3))
                .build();
        WebRtcTransport transport = WebRtcTransport.create(self, hub.endpoint(self), config);
        transports.add(transport);
        transport.start(listener);
        return transport;
    }

    IceServer turnServer(PeerId self, String secret) throws Exception {
        String username = (System.currentTimeMillis() / 1000 + 3600) + ":" + self;
        return IceServer.of(List.of(turnUrl), username, credential(secret, username));
    }

    /** coturn's TURN REST API credential: base64(HMAC-SHA1(secret, username)). */
    static String credential(String secret, String username) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
    }
}
