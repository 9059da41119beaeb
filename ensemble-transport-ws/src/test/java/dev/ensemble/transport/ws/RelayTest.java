package dev.ensemble.transport.ws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.transport.RecordingListener;
import dev.ensemble.transport.IceServer;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Relayed data and signals between two and three peers of a room on a real server. */
class RelayTest {
    private static final String ROOM = "relay-room";

    private TestServer server;
    private final List<WebSocketTransport> transports = new ArrayList<>();

    /** A started peer and what it received. */
    private record Peer(WebSocketTransport transport, RecordingListener events, Signals signals) {
        PeerId id() {
            return transport.self();
        }
    }

    /** Records signals in arrival order. */
    private static final class Signals extends SignalListener {
        final List<String> received = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onSignal(PeerId from, String data) {
            received.add(from + " " + data);
        }

        List<String> snapshot() {
            synchronized (received) {
                return new ArrayList<>(received);
            }
        }
    }

    @BeforeEach
    void startServer() throws Exception {
        server = new TestServer();
    }

    @AfterEach
    void stopEverything() {
        transports.forEach(WebSocketTransport::close);
        server.close();
    }

    private Peer peer(String room, WebSocketTransportConfig.Builder config) {
        WebSocketTransport transport = WebSocketTransport.create(config.build());
        transports.add(transport);
        RecordingListener events = new RecordingListener();
        Signals signals = new Signals();
        transport.signalListener(signals);
        transport.start(events);
        return new Peer(transport, events, signals);
    }

    private Peer peer() {
        return peer(ROOM, server.config(ROOM, PeerIdentity.generate()));
    }

    private static void awaitMesh(List<Peer> peers) {
        Await.until(
                "every peer sees every other peer",
                () -> peers.stream()
                        .allMatch(p -> peers.stream().allMatch(q -> q == p || p.events.isConnectedTo(q.id()))));
    }

    private static byte[] text(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void threePeersExchangeRelayedDataWithEachOther() {
        List<Peer> peers = List.of(peer(), peer(), peer());
        awaitMesh(peers);
        for (Peer from : peers) {
            for (Peer to : peers) {
                if (from != to) {
                    assertTrue(from.transport.send(to.id(), text(from.id() + ">" + to.id())));
                }
            }
        }
        Await.until(
                "each peer receives one message from each other peer",
                () -> peers.stream().allMatch(p -> p.events.messages().size() == 2));
        for (Peer to : peers) {
            Set<String> expected = new HashSet<>();
            Set<String> received = new HashSet<>();
            for (Peer from : peers) {
                if (from != to) {
                    expected.add(from.id() + " " + from.id() + ">" + to.id());
                }
            }
            for (RecordingListener.Received message : to.events.messages()) {
                received.add(message.from() + " " + new String(message.message(), StandardCharsets.UTF_8));
            }
            assertEquals(expected, received, "what " + to.id() + " received, with senders");
        }
    }

    @Test
    void twoPeersExchangeSignalsInOrderWithTheirSender() throws Exception {
        Peer alice = peer();
        Peer bob = peer();
        awaitMesh(List.of(alice, bob));
        for (int i = 0; i < 5; i++) {
            assertTrue(alice.transport.sendSignal(bob.id(), "{\"type\":\"candidate\",\"n\":" + i + "}"));
        }
        assertTrue(bob.transport.sendSignal(alice.id(), "{\"type\":\"answer\",\"sdp\":\"v=0\\r\\n\"}"));
        Await.until("Bob receives five signals", () -> bob.signals.snapshot().size() == 5);
        Await.until("Alice receives the answer", () -> alice.signals.snapshot().size() == 1);
        for (int i = 0; i < 5; i++) {
            assertEquals(
                    alice.id() + " {\"type\":\"candidate\",\"n\":" + i + "}",
                    bob.signals.snapshot().get(i));
        }
        String answer = alice.signals.snapshot().get(0);
        assertTrue(answer.startsWith(bob.id() + " "), answer);
        assertEquals(
                "v=0\r\n",
                new ObjectMapper()
                        .readTree(answer.substring(answer.indexOf(' ') + 1))
                        .get("sdp")
                        .textValue());
    }

    @Test
    void threePeersSignalEachOther() {
        List<Peer> peers = List.of(peer(), peer(), peer());
        awaitMesh(peers);
        for (Peer from : peers) {
            for (Peer to : peers) {
                if (from != to) {
                    assertTrue(from.transport.sendSignal(to.id(), "{\"type\":\"offer\"}"));
                }
            }
        }
        Await.until(
                "each peer receives an offer from each other peer",
                () -> peers.stream().allMatch(p -> p.signals.snapshot().size() == 2));
        for (Peer to : peers) {
            Set<String> expected = new HashSet<>();
            for (Peer from : peers) {
                if (from != to) {
                    expected.add(from.id() + " {\"type\":\"offer\"}");
                }
            }
            assertEquals(expected, new HashSet<>(to.signals.snapshot()));
        }
    }

    @Test
    void sendSignalRejectsDataThatIsNotAJsonObject() {
        Peer alice = peer();
        Peer bob = peer();
        awaitMesh(List.of(alice, bob));
        IllegalArgumentException array =
                assertThrows(IllegalArgumentException.class, () -> alice.transport.sendSignal(bob.id(), "[1,2]"));
        assertEquals("signal data must be a JSON object but is ARRAY", array.getMessage());
        IllegalArgumentException garbage =
                assertThrows(IllegalArgumentException.class, () -> alice.transport.sendSignal(bob.id(), "{\"type\":"));
        assertTrue(
                garbage.getMessage().startsWith("signal data must be the text of a JSON object but is not JSON"),
                garbage.getMessage());
    }

    @Test
    void signalOrDataToAPeerOutsideTheRoomIsNotSent() {
        Peer alice = peer();
        Peer elsewhere = peer("other-room", server.config("other-room", PeerIdentity.generate()));
        Peer bob = peer();
        awaitMesh(List.of(alice, bob));
        Await.until("the peer in the other room is in its room", elsewhere.transport::isInRoom);
        assertFalse(alice.transport.send(elsewhere.id(), text("hi")));
        assertFalse(alice.transport.sendSignal(elsewhere.id(), "{}"));
        assertFalse(alice.events.isConnectedTo(elsewhere.id()));
        assertTrue(elsewhere.events.connectEvents().isEmpty(), "a peer alone in its room sees nobody");
    }

    @Test
    void aFullSendQueueRefusesMessagesUntilItDrains() throws Exception {
        CountDownLatch inCallback = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        WebSocketTransport alice = WebSocketTransport.create(server.config(ROOM, PeerIdentity.generate())
                .sendQueueCapacity(3)
                .build());
        transports.add(alice);
        RecordingListener aliceEvents = new RecordingListener() {
            @Override
            public void onMessage(PeerId from, byte[] message) {
                super.onMessage(from, message);
                inCallback.countDown();
                try {
                    // Holds the transport's thread on purpose, so that nothing drains its send queue.
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        alice.start(aliceEvents);
        Peer bob = peer();
        Await.until(
                "Alice and Bob see each other",
                () -> aliceEvents.isConnectedTo(bob.id()) && bob.events.isConnectedTo(alice.self()));

        assertTrue(bob.transport.send(alice.self(), text("block")));
        assertTrue(inCallback.await(20, TimeUnit.SECONDS), "Alice's callback runs");
        for (int i = 0; i < 3; i++) {
            assertTrue(alice.send(bob.id(), new byte[10]), "message " + i + " fits the queue");
        }
        assertEquals(30, alice.queueSize(bob.id()));
        assertFalse(alice.send(bob.id(), new byte[10]), "the fourth message exceeds capacity 3");
        assertFalse(alice.sendSignal(bob.id(), "{}"), "signals share the bounded queue");
        release.countDown();

        Await.until(
                "Bob receives the three queued messages",
                () -> bob.events.messages().size() == 3);
        Await.until("Alice's queue is empty", () -> alice.queueSize(bob.id()) == 0);
        assertTrue(alice.send(bob.id(), text("after")));
        Await.until("Bob receives the next message", () -> bob.events.messages().size() == 4);
        assertArrayEquals(text("after"), bob.events.messages().get(3).message());
    }

    @Test
    void exposesTheIceServersOfTheWelcome() throws Exception {
        try (TestServer withStun = new TestServer(List.of("stun:stun.example.org:3478"))) {
            Peer alice = peer(ROOM, withStun.config(ROOM, PeerIdentity.generate()));
            assertTrue(alice.transport.iceServers().isEmpty(), "nothing before the welcome");
            Await.until("Alice is in the room", alice.transport::isInRoom);
            assertEquals(List.of(IceServer.of(List.of("stun:stun.example.org:3478"))), alice.transport.iceServers());
        }
    }

    @Test
    void aListenerMayCloseItsTransportFromInsideACallback() {
        Peer alice = peer();
        WebSocketTransport bob = WebSocketTransport.create(
                server.config(ROOM, PeerIdentity.generate()).build());
        transports.add(bob);
        RecordingListener bobEvents = new RecordingListener() {
            @Override
            public void onMessage(PeerId from, byte[] message) {
                super.onMessage(from, message);
                bob.close();
                markClosed();
            }
        };
        bob.start(bobEvents);
        Await.until("Alice sees Bob", () -> alice.events.isConnectedTo(bob.self()));
        assertTrue(alice.transport.send(bob.self(), text("close now")));
        assertTrue(alice.transport.send(bob.self(), text("too late")));
        Await.until("Alice sees Bob leave", () -> !alice.events.isConnectedTo(bob.self()));
        assertFalse(bob.send(alice.id(), text("after close")));
        assertEquals(1, bobEvents.messages().size());
        assertEquals(0, bobEvents.callbacksAfterClose(), "no callback after close() returned");
    }
}
