package dev.ensemble.collab.ephemeral;

import dev.ensemble.collab.peers.PeerMessaging;
import dev.ensemble.collab.peers.PeerMessagingActor;
import dev.ensemble.collab.peers.PeerMessagingSettings;
import dev.ensemble.collab.peers.Roster;
import dev.ensemble.collab.sim.NetworkSimulator;
import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorEvent;
import dev.ensemble.core.ActorProps;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorToken;
import dev.ensemble.core.dispatch.DispatcherSelector;
import dev.ensemble.testkit.transport.TestPeers;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * N peers on a {@link NetworkSimulator}, each an actor system with a messaging actor, an
 * ephemeral channel and a presence actor, all on the calling thread. Periodic timers are
 * effectively off and every clock is the simulator's virtual clock, so a run is decided by the
 * seed and the test's calls; presence renewal and expiry are driven by {@link #tick}.
 */
final class EphemeralRoom implements AutoCloseable {
    static final ActorToken<PeerMessaging, Roster> PEERS = PeerMessaging.token("peers");
    static final ActorToken<Ephemeral, ChannelStatus> CHANNEL = Ephemeral.token("channel");
    static final ActorToken<Presence<Player>, RoomPresence<Player>> PRESENCE = Presence.token("presence");
    static final Duration NEVER = Duration.ofHours(1);
    /** Real time: a ping's timeout is the one timer these tests let fire. */
    static final Duration PING_TIMEOUT = Duration.ofMillis(300);

    static final Topic<Note> NOTES = Topic.json("notes", Note.class).withMaxPayloadBytes(128);
    static final Topic<byte[]> PINGS = Topic.bytes("pings").withMaxPayloadBytes(16);

    /** A note message; {@code index} counts the sender's notes from 0. */
    record Note(String sender, int index) {}

    /** A presence state. */
    record Player(String name, String colour) {}

    final NetworkSimulator network;
    final List<Peer> peers = new ArrayList<>();
    private final List<Transport> extraTransports;

    /** One peer: its system, clients and everything they emitted. */
    static final class Peer {
        final PeerId id;
        final ActorSystem system;
        final ActorClient<Ephemeral, ChannelStatus> channel;
        final ActorClient<Presence<Player>, RoomPresence<Player>> presence;
        final List<ActorEvent> channelEvents = Collections.synchronizedList(new ArrayList<>());
        final List<ActorEvent> presenceEvents = Collections.synchronizedList(new ArrayList<>());

        Peer(PeerId id, ActorSystem system) {
            this.id = id;
            this.system = system;
            // Listeners run inline, in the turn that emitted, so what a test reads is complete.
            this.channel = system.client(CHANNEL).withCallbackExecutor(Runnable::run);
            this.presence = system.client(PRESENCE).withCallbackExecutor(Runnable::run);
            channel.onEvent(channelEvents::add);
            presence.onEvent(presenceEvents::add);
        }

        List<EphemeralMessage<Note>> notes() {
            synchronized (channelEvents) {
                return channelEvents.stream()
                        .filter(e -> e.name().equals(NOTES.eventName()))
                        .map(NOTES::message)
                        .toList();
            }
        }

        List<EphemeralMessage<Note>> notesFrom(PeerId sender) {
            return notes().stream().filter(m -> m.from().equals(sender)).toList();
        }

        List<EphemeralError> channelErrors() {
            synchronized (channelEvents) {
                return channelEvents.stream()
                        .filter(e -> e.name().equals(EphemeralEvents.ERROR))
                        .map(e -> (EphemeralError) e.payload())
                        .toList();
            }
        }

        List<ActorEvent> presenceEvents(String name) {
            synchronized (presenceEvents) {
                return presenceEvents.stream()
                        .filter(e -> e.name().equals(name))
                        .toList();
            }
        }

        boolean sees(PeerId other) {
            return presence.state().peers().containsKey(other);
        }
    }

    EphemeralRoom(NetworkSimulator network, int peerCount) {
        this(network, peerCount, List.of());
    }

    /**
     * @param extraTransports per peer, transports after the simulator's (may be shorter than the room)
     */
    EphemeralRoom(NetworkSimulator network, int peerCount, List<Transport> extraTransports) {
        this.network = network;
        this.extraTransports = extraTransports;
        for (int i = 0; i < peerCount; i++) {
            peers.add(startPeer(i));
        }
        network.runUntilQuiet(1_000_000);
    }

    private Peer startPeer(int i) {
        ActorProps inline = ActorProps.defaults().withDispatcher(DispatcherSelector.callingThread());
        PeerId id = TestPeers.id("peer-" + i);
        PeerMessagingSettings.Builder messaging = PeerMessagingSettings.builder()
                .transport(network.transportFor(id))
                .expiryCheck(NEVER);
        if (i < extraTransports.size()) {
            messaging.transport(extraTransports.get(i));
        }
        PeerMessagingSettings messagingSettings = messaging.build();
        EphemeralSettings channelSettings = EphemeralSettings.builder(PEERS)
                .topic(NOTES)
                .topic(PINGS)
                .clock(network.clock())
                .pingTimeout(PING_TIMEOUT)
                .build();
        PresenceSettings<Player> presenceSettings = PresenceSettings.builder(PEERS, PayloadCodec.json(Player.class))
                .checkInterval(NEVER)
                .clock(network.clock())
                .build();
        ActorSystem system = ActorSystem.builder("peer-" + i)
                .add(PEERS, () -> new PeerMessagingActor(messagingSettings), inline)
                .add(CHANNEL, () -> new EphemeralChannel(channelSettings), inline, PEERS)
                .add(PRESENCE, () -> new PresenceActor<>(presenceSettings), inline, PEERS)
                .start();
        return new Peer(id, system);
    }

    /** Stops a peer's whole system and starts a fresh one under the same identity, as a process restart. */
    Peer restart(int index) {
        peers.get(index).system.close();
        network.runUntilQuiet(1_000_000);
        Peer fresh = startPeer(index);
        peers.set(index, fresh);
        network.runUntilQuiet(1_000_000);
        return fresh;
    }

    Peer peer(int index) {
        return peers.get(index);
    }

    /** Lets virtual time pass in steps, running every peer's presence check after each step. */
    void tick(Duration total, Duration step) {
        for (Duration elapsed = Duration.ZERO; elapsed.compareTo(total) < 0; elapsed = elapsed.plus(step)) {
            network.runFor(step);
            for (Peer peer : peers) {
                peer.presence.actions().checkNow();
            }
        }
        network.runUntilQuiet(1_000_000);
    }

    @Override
    public void close() {
        for (Peer peer : peers) {
            peer.system.close();
        }
    }
}
