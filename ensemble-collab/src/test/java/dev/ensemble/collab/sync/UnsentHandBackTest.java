package dev.ensemble.collab.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.collab.peers.PeerEvents;
import dev.ensemble.collab.peers.PeerMessaging;
import dev.ensemble.collab.peers.PeerMessagingActor;
import dev.ensemble.collab.peers.PeerMessagingSettings;
import dev.ensemble.collab.peers.Roster;
import dev.ensemble.collab.sim.NetworkSimulator;
import dev.ensemble.collab.wire.Envelope;
import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorProps;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.dispatch.DispatcherSelector;
import dev.ensemble.testkit.transport.TestPeers;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.TransportListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * When the preferred transport loses a peer with messages still in its own queue, it hands them
 * back and PeerMessaging sends them over the fallback, in order, ahead of what was sent since.
 */
class UnsentHandBackTest {
    private static final PeerId ALICE = TestPeers.id("alice");
    private static final PeerId BOB = TestPeers.id("bob");

    /**
     * A preferred transport that accepts every message for a connected peer and holds it, like a
     * WebRTC transport whose channel is congested, until {@link #lose} hands them all back.
     */
    private static final class HoldingTransport implements Transport {
        private final List<byte[]> held = new ArrayList<>();
        private TransportListener listener = TransportListener.NONE;
        private PeerId connected;

        @Override
        public String name() {
            return "held";
        }

        @Override
        public int maxMessageSize() {
            return 2048;
        }

        @Override
        public void start(TransportListener listener) {
            this.listener = listener;
        }

        void connect(PeerId peer) {
            connected = peer;
            listener.onPeerConnected(peer);
        }

        void lose(PeerId peer) {
            connected = null;
            listener.onUnsent(peer, List.copyOf(held));
            held.clear();
            listener.onPeerDisconnected(peer, "the channel broke");
        }

        @Override
        public boolean send(PeerId to, byte[] message) {
            if (!to.equals(connected) || message.length > maxMessageSize()) {
                return false;
            }
            held.add(message);
            return true;
        }

        @Override
        public int queueSize(PeerId peer) {
            return held.size();
        }

        @Override
        public void close() {
            connected = null;
        }
    }

    /** Alice prefers a holding transport and falls back to the simulator; Bob has only the simulator. */
    private static final class Room implements AutoCloseable {
        final NetworkSimulator network;
        final HoldingTransport preferred = new HoldingTransport();
        final ActorSystem alice;
        final ActorSystem bob;
        final ActorClient<PeerMessaging, Roster> alicePeers;
        final List<Integer> arrived = new CopyOnWriteArrayList<>();
        final List<PeerEvents.PeerError> aliceErrors = new CopyOnWriteArrayList<>();

        Room(int fallbackLimit) throws Exception {
            network = NetworkSimulator.builder()
                    .seed(3)
                    .maxMessageSize(fallbackLimit)
                    .build();
            ActorProps inline = ActorProps.defaults().withDispatcher(DispatcherSelector.callingThread());
            alice = ActorSystem.builder("alice")
                    .add(
                            SimRoom.PEERS,
                            () -> new PeerMessagingActor(PeerMessagingSettings.builder()
                                    .transport(preferred)
                                    .transport(network.transportFor(ALICE))
                                    .expiryCheck(SimRoom.NEVER)
                                    .build()),
                            inline)
                    .start();
            bob = ActorSystem.builder("bob")
                    .add(
                            SimRoom.PEERS,
                            () -> new PeerMessagingActor(PeerMessagingSettings.builder()
                                    .transport(network.transportFor(BOB))
                                    .expiryCheck(SimRoom.NEVER)
                                    .build()),
                            inline)
                    .start();
            network.runUntilQuiet(100);
            preferred.connect(BOB);
            alicePeers = alice.client(SimRoom.PEERS);
            alicePeers
                    .withCallbackExecutor(Runnable::run)
                    .onEvent(PeerEvents.ERROR, event -> aliceErrors.add((PeerEvents.PeerError) event.payload()));
            ActorClient<PeerMessaging, Roster> bobPeers = bob.client(SimRoom.PEERS);
            bobPeers.withCallbackExecutor(Runnable::run)
                    .onEvent(
                            PeerEvents.document("doc"),
                            event -> arrived.add(((PeerEvents.Received) event.payload())
                                    .envelope()
                                    .payload()
                                    .length));
        }

        void send(int size) {
            alicePeers.actions().send(BOB, Envelope.sync("doc", filled(size)));
        }

        @Override
        public void close() {
            alice.close();
            bob.close();
        }
    }

    @Test
    void heldMessagesGoOverTheFallbackInOrderAheadOfLaterOnes() throws Exception {
        try (Room room = new Room(NetworkSimulator.DEFAULT_MAX_MESSAGE_SIZE)) {
            assertEquals(Map.of(BOB, "held"), room.alicePeers.state().transports());
            for (int size : List.of(10, 5000, 20, 900)) {
                room.send(size);
            }
            room.network.runUntilQuiet(100);
            assertEquals(List.of(), room.arrived, "nothing left the holding transport");

            room.preferred.lose(BOB);
            room.send(30);
            room.network.runUntilQuiet(1_000);

            assertEquals(Map.of(BOB, "memory"), room.alicePeers.state().transports());
            assertEquals(
                    List.of(10, 5000, 20, 900, 30),
                    room.arrived,
                    "every held message (the chunked one reassembled), then the later one, in order");
            assertEquals(List.of(), room.aliceErrors);
        }
    }

    @Test
    void aHeldChunkTooLargeForTheFallbackIsDroppedWithAnErrorAndTheRestArrives() throws Exception {
        try (Room room = new Room(600)) {
            room.send(10);
            room.send(3000);
            room.send(20);
            room.preferred.lose(BOB);
            room.network.runUntilQuiet(1_000);

            assertEquals(List.of(10, 20), room.arrived);
            assertEquals(2, room.aliceErrors.size(), room.aliceErrors.toString());
            PeerEvents.PeerError error = room.aliceErrors.get(0);
            assertEquals(BOB, error.peer());
            assertEquals("doc", error.documentId());
            assertTrue(error.message().contains("does not fit memory's limit of 600 bytes"), error.message());
        }
    }

    private static byte[] filled(int size) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) size);
        return bytes;
    }
}
