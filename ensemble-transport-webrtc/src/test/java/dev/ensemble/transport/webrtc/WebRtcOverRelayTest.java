package dev.ensemble.transport.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.collab.peers.PeerEvents;
import dev.ensemble.collab.wire.Envelope;
import dev.ensemble.signaling.server.RateLimit;
import dev.ensemble.signaling.server.SignalingServer;
import dev.ensemble.signaling.server.SignalingServerConfig;
import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.net.NetNamespace;
import dev.ensemble.transport.webrtc.room.RoomPeer;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The WebRTC transport as applications use it: negotiated through a real signaling server over the
 * WebSocket relay, preferred by PeerMessaging, with the relay as the fallback.
 */
class WebRtcOverRelayTest {
    private static final Duration CONVERGE = Duration.ofSeconds(30);
    private static final String ROOM = "webrtc-room";

    private SignalingServer server;
    private final List<RoomPeer> peers = new ArrayList<>();

    @BeforeEach
    void startServer() throws Exception {
        NetNamespace.assumeInside();
        // The relay's rate limit is lifted: a whole stream falls back onto it at once when a channel breaks.
        server = new SignalingServer(SignalingServerConfig.loopback()
                        .relayRate(new RateLimit(1_000_000, 1_000_000))
                        .build())
                .start();
    }

    @AfterEach
    void stopEverything() {
        peers.forEach(RoomPeer::close);
        if (server != null) {
            server.stop(Duration.ofSeconds(1));
        }
    }

    private RoomPeer join(String name, WebRtcConfig config) {
        RoomPeer peer = new RoomPeer(URI.create("ws://127.0.0.1:" + server.port() + "/"), ROOM, name, config);
        peers.add(peer);
        return peer;
    }

    private static void awaitTransport(RoomPeer a, RoomPeer b, String transport) {
        Await.until(
                "both peers use " + transport + " for each other (now " + a.transportTo(b.id()) + " / "
                        + b.transportTo(a.id()) + ")",
                CONVERGE,
                () -> transport.equals(a.transportTo(b.id())) && transport.equals(b.transportTo(a.id())));
    }

    private static void awaitLines(RoomPeer a, RoomPeer b, Set<String> expected) {
        Await.until(
                "both peers hold the " + expected.size()
                        + " lines (now " + a.notes().state().lines().size() + " and "
                        + b.notes().state().lines().size() + ")",
                CONVERGE,
                () -> new HashSet<>(a.notes().state().lines()).equals(expected)
                        && a.notes().state().equals(b.notes().state()));
    }

    @Test
    void collaborationActorsConvergeOverWebRtcAndReportIt() {
        RoomPeer alice = join("alice", RoomPeer.fastRedial());
        RoomPeer bob = join("bob", RoomPeer.fastRedial());
        awaitTransport(alice, bob, WebRtcTransport.NAME);

        alice.notes().actions().add("from alice");
        bob.notes().actions().add("from bob");
        awaitLines(alice, bob, Set.of("from alice", "from bob"));
        assertEquals(WebRtcTransport.NAME, alice.transportTo(bob.id()), "still on WebRTC");
        assertTrue(
                alice.transportChanges()
                        .contains(new PeerEvents.TransportChanged(bob.id(), "websocket", WebRtcTransport.NAME)),
                "the relay came first, then WebRTC took over: " + alice.transportChanges());
    }

    @Test
    void aChannelKilledMidStreamFallsBackToTheRelayWithNoLostChangeAndComesBack() throws Exception {
        RoomPeer alice = join("alice", RoomPeer.fastRedial());
        RoomPeer bob = join("bob", RoomPeer.fastRedial());
        awaitTransport(alice, bob, WebRtcTransport.NAME);
        int before = alice.transportChanges().size();

        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 400; i++) {
            String line = "line " + i + " " + "x".repeat(200);
            expected.add(line);
            alice.notes().actions().add(line);
            if (i == 150) {
                alice.webrtc().breakChannelForTest(bob.id());
            }
        }
        Await.until(
                "Alice moves Bob to the relay when the channel breaks",
                CONVERGE,
                () -> alice.transportChanges().stream()
                        .skip(before)
                        .anyMatch(change -> change.peer().equals(bob.id())
                                && WebRtcTransport.NAME.equals(change.from())
                                && "websocket".equals(change.to())));
        awaitLines(alice, bob, expected);
        awaitTransport(alice, bob, WebRtcTransport.NAME);

        bob.notes().actions().add("after the return");
        expected.add("after the return");
        awaitLines(alice, bob, expected);
    }

    @Test
    void messagesQueuedForABrokenChannelGoOverTheRelayAndNoneIsLost() {
        RoomPeer alice = join("alice", RoomPeer.fastRedial());
        RoomPeer bob = join("bob", RoomPeer.fastRedial());
        awaitTransport(alice, bob, WebRtcTransport.NAME);
        Set<Integer> received = ConcurrentHashMap.newKeySet();
        AtomicInteger deliveries = new AtomicInteger();
        bob.peers().onEvent(PeerEvents.EPHEMERAL, event -> {
            deliveries.incrementAndGet();
            received.add(ByteBuffer.wrap(
                            ((PeerEvents.Received) event.payload()).envelope().payload())
                    .getInt());
        });

        int count = 1_000;
        for (int i = 0; i < count; i++) {
            byte[] message = new byte[1024];
            ByteBuffer.wrap(message).putInt(i);
            alice.peers().actions().send(bob.id(), Envelope.ephemeral("stream", message));
            if (i == count / 3) {
                alice.webrtc().breakChannelForTest(bob.id());
            }
        }
        try {
            Await.until(
                    "Bob receives all " + count + " messages, over WebRTC and then the relay",
                    CONVERGE,
                    () -> received.size() == count);
        } catch (AssertionError e) {
            throw new AssertionError(
                    e.getMessage() + "; received " + received.size() + ", Alice's WebRTC queue "
                            + alice.webrtc().queueSize(bob.id()) + " bytes, transports " + alice.transportTo(bob.id())
                            + "/"
                            + bob.transportTo(alice.id()) + ", changes " + alice.transportChanges() + ", first missing "
                            + IntStream.range(0, count)
                                    .filter(n -> !received.contains(n))
                                    .limit(10)
                                    .boxed()
                                    .toList(),
                    e);
        }
        assertEquals(count, deliveries.get(), "no message arrives twice");
        assertTrue(
                alice.transportChanges().stream()
                        .anyMatch(change -> change.peer().equals(bob.id())
                                && WebRtcTransport.NAME.equals(change.from())
                                && "websocket".equals(change.to())),
                "the stream moved to the relay: " + alice.transportChanges());
    }

    @Test
    void whereNoChannelCanOpenPeersConvergeOverTheRelayAndSaySo() {
        // Relay-only ICE with no TURN server gathers no candidate at all: no channel can ever open,
        // as on a machine with loopback only.
        WebRtcConfig noPath =
                WebRtcConfig.builder().relayOnly(true).iceServers(List.of()).build();
        RoomPeer alice = join("alice", noPath);
        RoomPeer bob = join("bob", noPath);
        awaitTransport(alice, bob, "websocket");

        Set<String> expected =
                IntStream.range(0, 20).mapToObj(i -> "relayed " + i).collect(Collectors.toSet());
        expected.forEach(line -> alice.notes().actions().add(line));
        awaitLines(alice, bob, expected);
        assertEquals("websocket", alice.transportTo(bob.id()));
        assertEquals("websocket", bob.transportTo(alice.id()));
        assertTrue(
                alice.transportChanges().stream().noneMatch(change -> WebRtcTransport.NAME.equals(change.to())),
                alice.transportChanges().toString());
    }
}
