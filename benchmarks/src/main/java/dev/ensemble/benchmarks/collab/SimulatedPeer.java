package dev.ensemble.benchmarks.collab;

import dev.ensemble.collab.CollaborationSettings;
import dev.ensemble.collab.peers.PeerMessaging;
import dev.ensemble.collab.peers.PeerMessagingActor;
import dev.ensemble.collab.peers.PeerMessagingSettings;
import dev.ensemble.collab.peers.Roster;
import dev.ensemble.collab.sim.NetworkSimulator;
import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorProps;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorToken;
import dev.ensemble.core.dispatch.DispatcherSelector;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import java.time.Duration;

/**
 * One peer of a benchmark room on a {@link NetworkSimulator}: an actor system with a
 * {@link PeerMessagingActor} over a {@link CountingTransport} and a {@link PaperActor}. Both
 * actors run on the calling thread and the periodic timers are off, so a run does the same work
 * every time and all of it happens inside the simulator's run methods, on the benchmark's
 * thread: what is timed is the protocol's work, not thread hand-offs.
 *
 * <p>Driven by one thread, like the simulator. Close it to free its document.
 *
 * <pre>{@code
 * try (SimulatedPeer alice = SimulatedPeer.start("alice", network)) {
 *     alice.paper().actions().splice(0, 0, "x");
 *     network.runUntilQuiet(1_000_000);
 * }
 * }</pre>
 */
public final class SimulatedPeer implements AutoCloseable {
    /** The room's messaging actor. */
    public static final ActorToken<PeerMessaging, Roster> PEERS = PeerMessaging.token("peers");
    /** The document. */
    public static final ActorToken<PaperActions, Paper> PAPER = ActorToken.of("paper", PaperActions.class, Paper.class);
    /** The document id shared by every peer. */
    public static final String DOCUMENT_ID = "paper";
    /** Timers that never fire within a benchmark: resync and snapshot retries are not measured. */
    private static final Duration NEVER = Duration.ofHours(1);

    private final PeerId id;
    private final ActorSystem system;
    private final CountingTransport transport;

    private SimulatedPeer(PeerId id, ActorSystem system, CountingTransport transport) {
        this.id = id;
        this.system = system;
        this.transport = transport;
    }

    /**
     * Starts a peer with an empty document.
     *
     * @param name the peer's system name; its id on the network is a fresh did:key
     * @param network the simulator it joins
     * @return the started peer
     */
    public static SimulatedPeer start(String name, NetworkSimulator network) {
        PeerId id = PeerIdentity.generate().peerId();
        CountingTransport transport = new CountingTransport(network.transportFor(id));
        ActorProps inline = ActorProps.defaults().withDispatcher(DispatcherSelector.callingThread());
        ActorSystem system = ActorSystem.builder(name)
                .askTimeout(Duration.ofMinutes(5))
                .add(
                        PEERS,
                        () -> new PeerMessagingActor(PeerMessagingSettings.builder()
                                .transport(transport)
                                .expiryCheck(NEVER)
                                .build()),
                        inline)
                .add(
                        PAPER,
                        () -> new PaperActor(CollaborationSettings.builder(DOCUMENT_ID, Paper.class, Paper.EMPTY)
                                .peers(PEERS)
                                .resyncInterval(NEVER)
                                .snapshotTimeout(NEVER)
                                .build()),
                        inline,
                        PEERS)
                .start();
        return new SimulatedPeer(id, system, transport);
    }

    /** @return the peer's id on the network */
    public PeerId id() {
        return id;
    }

    /** @return the document's client */
    public ActorClient<PaperActions, Paper> paper() {
        return system.client(PAPER);
    }

    /** @return the document's text, asked (so it includes every earlier action) */
    public String text() {
        return paper().actions().text().join();
    }

    /** @return what this peer handed to its transport since the last {@link #resetTraffic()} */
    public Traffic traffic() {
        return transport.tally();
    }

    /** Starts counting this peer's traffic from zero. */
    public void resetTraffic() {
        transport.reset();
    }

    @Override
    public void close() {
        system.close();
    }
}
