package dev.ensemble.transport.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.transport.RecordingListener;
import dev.ensemble.testkit.transport.TestPeers;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.TransportException;
import dev.ensemble.transport.TransportException.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A frame sent to a peer at the moment that peer leaves the room. PeerMessaging sends over the
 * relay as soon as a peer's WebRTC channel closes, which is what happens when the peer leaves; the
 * frame then crosses the server's {@code peer-left} and the server answers {@code unknown-peer}.
 * That is the expected end of a race, not an error for the application: the sender drops it quietly.
 */
class DepartedPeerTest {
    private static final String ROOM = "departures";
    /** A message to Alice that makes her transport's thread wait in its callback until released. */
    private static final byte HOLD = 1;

    private TestServer server;
    private final List<WebSocketTransport> transports = new ArrayList<>();

    /** Records Alice's events; a {@link #HOLD} message keeps her transport's thread until {@link #release}. */
    private static final class HeldListener extends RecordingListener {
        final CountDownLatch holding = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void onMessage(PeerId from, byte[] message) {
            if (message.length == 1 && message[0] == HOLD) {
                holding.countDown();
                try {
                    release.await(Await.DEFAULT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            super.onMessage(from, message);
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

    private WebSocketTransport started(String name, RecordingListener events) {
        WebSocketTransport transport = server.transport(ROOM, TestPeers.identity(name));
        transports.add(transport);
        transport.start(events);
        return transport;
    }

    @Test
    void aFrameThatCrossesTheAddresseesDepartureIsDroppedQuietly() throws Exception {
        HeldListener aliceEvents = new HeldListener();
        RecordingListener bobEvents = new RecordingListener();
        EchoListener carolEvents = new EchoListener();
        WebSocketTransport alice = started("alice", aliceEvents);
        WebSocketTransport bob = started("bob", bobEvents);
        WebSocketTransport carol = started("carol", carolEvents);
        carolEvents.transport = carol;
        Await.until(
                "everyone sees everyone",
                () -> aliceEvents.isConnectedTo(bob.self())
                        && aliceEvents.isConnectedTo(carol.self())
                        && carolEvents.isConnectedTo(alice.self())
                        && carolEvents.isConnectedTo(bob.self()));

        // Alice's transport thread waits in a callback: what she sends now, and what the server tells
        // her now, queues behind it in the order it happens.
        assertTrue(carol.send(alice.self(), new byte[] {HOLD}));
        assertTrue(aliceEvents.holding.await(Await.DEFAULT_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        assertTrue(alice.send(bob.self(), new byte[] {7}), "Bob is still a member as far as Alice knows");
        bob.close();
        Await.until("the server has let Bob go (Carol hears it)", () -> !carolEvents.isConnectedTo(bob.self()));
        aliceEvents.release.countDown();

        // Alice's frame reaches the server after Bob has left: the server answers unknown-peer, after its
        // peer-left. Carol's echo of a later message of Alice's comes after that answer on Alice's
        // connection, so once Alice has the echo, she has handled the answer.
        Await.until("Alice hears that Bob left", () -> !aliceEvents.isConnectedTo(bob.self()));
        assertTrue(alice.send(carol.self(), new byte[] {9}));
        Await.until(
                "Carol's echo reaches Alice",
                () -> aliceEvents.messages().stream()
                        .anyMatch(m -> m.from().equals(carol.self()) && m.message()[0] == 9));
        List<TransportException> unknownPeer = aliceEvents.errors().stream()
                .filter(e -> e.reason() == Reason.UNKNOWN_PEER)
                .toList();
        assertEquals(List.of(), unknownPeer, "a frame for a peer that just left is no error for Alice");
        assertEquals(List.of(), carolEvents.errors());
    }

    /** Carol sends every message back to its sender. */
    private static final class EchoListener extends RecordingListener {
        volatile WebSocketTransport transport;

        @Override
        public void onMessage(PeerId from, byte[] message) {
            super.onMessage(from, message);
            if (message[0] != HOLD) {
                transport.send(from, message);
            }
        }
    }
}
