package dev.ensemble.collab.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.collab.peers.PeerEvents;
import dev.ensemble.collab.peers.PeerMessaging;
import dev.ensemble.collab.peers.PeerMessagingActor;
import dev.ensemble.collab.peers.PeerMessagingSettings;
import dev.ensemble.collab.peers.Roster;
import dev.ensemble.collab.sim.LinkConditions;
import dev.ensemble.collab.sim.NetworkSimulator;
import dev.ensemble.collab.wire.Chunker;
import dev.ensemble.collab.wire.Envelope;
import dev.ensemble.collab.wire.ReassemblyLimits;
import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorProps;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.dispatch.DispatcherSelector;
import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.transport.TestPeers;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.TransportListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class PeerMessagingTest {
    private static final PeerId ALICE = TestPeers.id("alice");
    private static final PeerId BOB = TestPeers.id("bob");

    @Test
    void aChunkStreamThatNeverCompletesExpiresWithAnErrorNamingThePeerAndDocument() throws Exception {
        NetworkSimulator network = NetworkSimulator.builder()
                .seed(1)
                .conditions(
                        LinkConditions.builder().latency(Duration.ofMillis(1)).build())
                .build();
        PeerMessagingSettings settings = PeerMessagingSettings.builder()
                .transport(network.transportFor(BOB))
                .reassembly(ReassemblyLimits.builder()
                        .timeout(Duration.ofMillis(100))
                        .build())
                .expiryCheck(Duration.ofMillis(20))
                .build();
        try (ActorSystem system = ActorSystem.builder("bob")
                .add(
                        SimRoom.PEERS,
                        () -> new PeerMessagingActor(settings),
                        ActorProps.defaults().withDispatcher(DispatcherSelector.callingThread()))
                .start()) {
            Transport alice = network.transportFor(ALICE);
            alice.start(TransportListener.NONE);
            network.runUntilQuiet(100);
            ActorClient<PeerMessaging, Roster> peers = system.client(SimRoom.PEERS);
            List<PeerEvents.PeerError> errors = new CopyOnWriteArrayList<>();
            List<PeerEvents.Received> documents = new CopyOnWriteArrayList<>();
            peers.withCallbackExecutor(Runnable::run)
                    .onEvent(PeerEvents.ERROR, event -> errors.add((PeerEvents.PeerError) event.payload()));
            peers.withCallbackExecutor(Runnable::run)
                    .onEvent(PeerEvents.document("doc"), event -> documents.add((PeerEvents.Received) event.payload()));

            List<byte[]> chunks = new Chunker(512).split(Envelope.sync("doc", new byte[3000]));
            assertTrue(chunks.size() > 2);
            alice.send(BOB, chunks.get(0));
            network.runUntilQuiet(100);
            Await.until("the incomplete stream to expire", () -> !errors.isEmpty());
            assertEquals(ALICE, errors.get(0).peer());
            assertEquals("doc", errors.get(0).documentId());
            assertTrue(
                    errors.get(0).message().contains("never completed"),
                    errors.get(0).message());

            for (byte[] chunk : new Chunker(512).split(Envelope.sync("doc", new byte[3000]))) {
                alice.send(BOB, chunk);
            }
            network.runUntilQuiet(100);
            Await.until("the complete message", () -> documents.size() == 1);
            assertEquals(3000, documents.get(0).envelope().payload().length);
            assertEquals(ALICE, documents.get(0).from());
        }
    }

    @Test
    void rosterFollowsConnectionsAndTellsTransportChanges() {
        NetworkSimulator network = NetworkSimulator.builder().seed(2).build();
        try (ActorSystem system = ActorSystem.builder("bob")
                .add(
                        SimRoom.PEERS,
                        () -> new PeerMessagingActor(PeerMessagingSettings.builder()
                                .transport(network.transportFor(BOB))
                                .expiryCheck(SimRoom.NEVER)
                                .build()),
                        ActorProps.defaults().withDispatcher(DispatcherSelector.callingThread()))
                .start()) {
            ActorClient<PeerMessaging, Roster> peers = system.client(SimRoom.PEERS);
            List<String> events = new CopyOnWriteArrayList<>();
            peers.withCallbackExecutor(Runnable::run)
                    .onEvent(event -> events.add(event.name() + " " + event.payload()));
            network.transportFor(ALICE).start(TransportListener.NONE);
            network.runUntilQuiet(100);
            assertEquals(java.util.Map.of(ALICE, "memory"), peers.state().transports());
            network.goOffline(ALICE);
            network.runUntilQuiet(100);
            assertEquals(java.util.Map.of(), peers.state().transports());
            assertEquals(
                    List.of(
                            "transport-changed TransportChanged[peer=" + ALICE + ", from=null, to=memory]",
                            "peer-joined " + ALICE,
                            "transport-changed TransportChanged[peer=" + ALICE + ", from=memory, to=null]",
                            "peer-left " + ALICE),
                    events);
        }
    }

    @Test
    void settingsRejectATransportTooSmallToChunkFor() {
        Transport tiny =
                NetworkSimulator.builder().seed(4).maxMessageSize(400).build().transportFor(ALICE);
        IllegalArgumentException error = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class,
                () -> PeerMessagingSettings.builder().transport(tiny).build());
        assertEquals(
                "transport memory takes messages of at most 400 bytes; peer messaging needs at least 512"
                        + " to chunk large envelopes",
                error.getMessage());
    }
}
