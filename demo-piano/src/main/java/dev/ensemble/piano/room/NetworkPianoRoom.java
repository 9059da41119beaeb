package dev.ensemble.piano.room;

import dev.ensemble.collab.CollaborationSettings;
import dev.ensemble.collab.DocumentVersion;
import dev.ensemble.collab.ephemeral.ChannelStatus;
import dev.ensemble.collab.ephemeral.Ephemeral;
import dev.ensemble.collab.ephemeral.EphemeralChannel;
import dev.ensemble.collab.ephemeral.EphemeralSettings;
import dev.ensemble.collab.ephemeral.PayloadCodec;
import dev.ensemble.collab.ephemeral.Presence;
import dev.ensemble.collab.ephemeral.PresenceActor;
import dev.ensemble.collab.ephemeral.PresenceSettings;
import dev.ensemble.collab.ephemeral.RoomPresence;
import dev.ensemble.collab.peers.PeerMessaging;
import dev.ensemble.collab.peers.PeerMessagingActor;
import dev.ensemble.collab.peers.PeerMessagingSettings;
import dev.ensemble.collab.peers.Roster;
import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorEvent;
import dev.ensemble.core.ActorInfo;
import dev.ensemble.core.ActorProps;
import dev.ensemble.core.ActorStoppedException;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorToken;
import dev.ensemble.core.Subscription;
import dev.ensemble.core.dispatch.DispatcherSelector;
import dev.ensemble.core.inspect.Inspector;
import dev.ensemble.core.supervision.RestartStrategy;
import dev.ensemble.core.supervision.SupervisorSpec;
import dev.ensemble.core.supervision.WorkerSpec;
import dev.ensemble.piano.model.PianoMessage;
import dev.ensemble.piano.model.Player;
import dev.ensemble.piano.model.RoomSettings;
import dev.ensemble.piano.room.internal.MembersActions;
import dev.ensemble.piano.room.internal.RoomActions;
import dev.ensemble.piano.room.internal.RoomSettingsActions;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.membership.ClosedRoom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A piano room over the collaboration modules: the players are peers of a room reached through
 * {@link Transport}s (in order of preference: WebRTC, then the WebSocket relay, or the in-memory
 * simulator in tests).
 *
 * <h2>How the room maps onto the collaboration modules</h2>
 * <pre>
 *   PianoRoom (this)  ──►  PianoRoomActor: players list, departures, pings, listener events
 *                              │ reacts to
 *        ┌─────────────────────┼───────────────────────┬──────────────────────────┐
 *   EphemeralChannel "piano"   PresenceActor           RoomSettingsActor          PeerMessagingActor
 *   notes, pedal, beats (JSON) name, colour,           (CollaborationActor):      roster: transport
 *   + ping/pong for latency    instrument              title, metronome           name per peer
 *        └─────────────────────┴───────────────────────┴──────────► transports, in preference order
 * </pre>
 * Notes and pedal never enter the settings document. A player's id is its {@link PeerId}; a peer
 * may only send messages of its own player id (others are dropped and logged). Each present peer
 * is pinged every {@link Builder#pingInterval ping interval} and half the round trip is reported
 * as its latency. A peer whose presence goes (it left, its transports lost it, or it went silent
 * for the presence expiry) is reported through {@link RoomListener#onPlayerLeft}. Messages of a
 * peer are heard only while its presence is: before it arrives and after it goes they are dropped,
 * so a departed player can never leave a note sounding.
 *
 * <h2>Closed rooms</h2>
 * A player of a closed room is given its {@code ClosedRoom} ({@link Builder#closedRoom}) besides
 * transports wrapped in {@code MembershipTransport}s over it; the room's owner is also given its identity
 * ({@link Builder#owner}) and may then {@link #revoke} members. {@code MembersActor} ({@code
 * /piano/members}, in every network room) does it, and refuses with a reason elsewhere: in an open room,
 * for a player that does not own the room, for the owner itself, a did:key that is no member's now, or
 * one revoked already.
 *
 * <pre>{@code
 * PianoRoom room = NetworkPianoRoom.builder(PeerId.parse("did:key:z6Mk..."), self)
 *         .transport(webRtc).transport(webSocketRelay)
 *         .join();
 * room.subscribe(listener);
 * room.send(NoteEvent.on(self.id(), 60, 90));
 *
 * NetworkPianoRoom owned = NetworkPianoRoom.builder(owner.peerId(), self)
 *         .transports(membershipStages).closedRoom(closedRoom).owner(owner)
 *         .join();
 * owned.revoke("did:key:z6Mk...").join();    // that member is cut off, by everyone
 * }</pre>
 *
 * <h2>Threading</h2>
 * Thread-safe: every method may be called from any thread. Listeners run one at a time, in the
 * order the room's actor emitted, on the callback executor given to the builder (by default the
 * actor system's shared pool).
 */
public final class NetworkPianoRoom implements PianoRoom {
    /** The default interval between two pings of each peer. */
    public static final Duration DEFAULT_PING_INTERVAL = LocalRoomHub.PING_INTERVAL;
    /** The default wait for a pong. */
    public static final Duration DEFAULT_PING_TIMEOUT = Duration.ofSeconds(2);
    /** The id of the settings document. */
    public static final String SETTINGS_DOCUMENT = "piano-settings";

    /** The namespace of a player's actors: {@code /piano/peers}, ..., {@code /piano/room}. */
    static final String NAMESPACE = "piano";

    static final ActorToken<PeerMessaging, Roster> PEERS = PeerMessaging.token("peers");
    static final ActorToken<Ephemeral, ChannelStatus> CHANNEL = Ephemeral.token("ephemeral");
    static final ActorToken<Presence<PresenceCard>, RoomPresence<PresenceCard>> PRESENCE = Presence.token("presence");
    static final ActorToken<RoomSettingsActions, RoomDocument> SETTINGS =
            ActorToken.of("settings", RoomSettingsActions.class, RoomDocument.class);
    static final ActorToken<RoomActions, RoomView> ROOM = ActorToken.of("room", RoomActions.class, RoomView.class);
    static final ActorToken<MembersActions, MembersView> MEMBERS =
            ActorToken.of("members", MembersActions.class, MembersView.class);

    private static final Logger LOG = LoggerFactory.getLogger(NetworkPianoRoom.class);

    private final ActorSystem system;
    private final ActorClient<RoomActions, RoomView> room;
    private final ActorClient<RoomSettingsActions, RoomDocument> settings;
    private final ActorClient<MembersActions, MembersView> members;
    private final List<RoomListener> listeners = new CopyOnWriteArrayList<>();
    private final Subscription events;
    private volatile boolean closed;

    private NetworkPianoRoom(Builder builder) {
        ActorProps props = ActorProps.defaults().withDispatcher(builder.dispatcher);
        ActorProps documentProps = builder.dispatcher.equals(DispatcherSelector.shared())
                ? ActorProps.defaults().withDispatcher(DispatcherSelector.dedicated())
                : props;
        PeerMessagingSettings.Builder messaging =
                PeerMessagingSettings.builder().expiryCheck(builder.checkInterval);
        builder.transports.forEach(messaging::transport);
        PeerMessagingSettings messagingSettings = messaging.build();
        EphemeralSettings channelSettings = EphemeralSettings.builder(PEERS)
                .channel(PianoTopics.CHANNEL)
                .topic(PianoTopics.NOTES)
                .topic(PianoTopics.PEDAL)
                .topic(PianoTopics.BEATS)
                .clock(builder.clock)
                .pingTimeout(DEFAULT_PING_TIMEOUT)
                .build();
        PresenceSettings<PresenceCard> presenceSettings = PresenceSettings.builder(
                        PEERS, PayloadCodec.json(PresenceCard.class))
                .checkInterval(builder.checkInterval)
                .clock(builder.clock)
                .build();
        CollaborationSettings<RoomDocument> documentSettings = RoomSettingsActor.settings(SETTINGS_DOCUMENT)
                .peers(PEERS)
                .resyncInterval(builder.resyncInterval)
                .build();
        Player self = builder.player;
        Duration pingInterval = builder.pingInterval;
        ClosedRoom closedRoom = builder.closedRoom;
        PeerIdentity owner = builder.owner;
        PeerId peer = builder.peer;
        // One namespace, so that the running system lists the player's actors as one tree. Each
        // child restarts alone (one for one), within the supervisor's default intensity.
        this.system = ActorSystem.builder("piano-" + self.id())
                .supervisor(SupervisorSpec.of(NAMESPACE, RestartStrategy.ONE_FOR_ONE)
                        .child(WorkerSpec.of(PEERS, () -> new PeerMessagingActor(messagingSettings))
                                .withProps(props))
                        .child(WorkerSpec.of(CHANNEL, () -> new EphemeralChannel(channelSettings))
                                .withProps(props)
                                .dependsOn(PEERS))
                        .child(WorkerSpec.of(PRESENCE, () -> new PresenceActor<>(presenceSettings))
                                .withProps(props)
                                .dependsOn(PEERS))
                        .child(WorkerSpec.of(SETTINGS, () -> new RoomSettingsActor(documentSettings))
                                .withProps(documentProps)
                                .dependsOn(PEERS))
                        .child(WorkerSpec.of(ROOM, () -> new PianoRoomActor(self, pingInterval))
                                .withProps(props)
                                .dependsOn(PEERS, CHANNEL, PRESENCE, SETTINGS))
                        .child(WorkerSpec.of(MEMBERS, () -> new MembersActor(closedRoom, owner, peer))
                                .withProps(props)
                                .dependsOn(PEERS, PRESENCE)))
                .start();
        ActorClient<RoomActions, RoomView> client = system.client(path(ROOM), ROOM);
        if (builder.callbackExecutor != null) {
            client = client.withCallbackExecutor(builder.callbackExecutor);
        }
        this.room = client;
        this.settings = system.client(path(SETTINGS), SETTINGS);
        this.members = system.client(path(MEMBERS), MEMBERS);
        this.events = room.onEvent(this::dispatch);
        LOG.info(
                "player {} joined the network piano room over {}",
                self.id(),
                builder.transports.stream().map(Transport::name).toList());
    }

    /**
     * Starts building this player's membership.
     *
     * @param peer this peer's identity in the room
     * @param player this player; its id must be the peer id's value
     * @return a builder
     * @throws IllegalArgumentException if the ids differ
     */
    public static Builder builder(PeerId peer, Player player) {
        return new Builder(peer, player);
    }

    /**
     * @return the inspector of this player's actor system (its actors under {@code /piano}), for
     *     mounting into the piano's own ({@link PianoInspection}). Thread-safe.
     */
    public Inspector inspector() {
        return system.inspector();
    }

    @Override
    public Player self() {
        return room.state().self();
    }

    @Override
    public void send(PianoMessage message) {
        Objects.requireNonNull(message, "message");
        if (!message.playerId().equals(self().id())) {
            throw new IllegalArgumentException(
                    "player \"" + self().id() + "\" may only send its own messages, not " + message);
        }
        if (closed) {
            return;
        }
        try {
            room.actions().send(message);
        } catch (ActorStoppedException stopped) {
            LOG.debug("player {}: the room is closing, dropped {}", self().id(), message);
        }
    }

    @Override
    public Subscription subscribe(RoomListener listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public List<Player> players() {
        return room.state().players();
    }

    @Override
    public void updatePresence(Player updated) {
        if (!updated.id().equals(self().id())) {
            throw new IllegalArgumentException(
                    "presence of player \"" + self().id() + "\" cannot change its id to \"" + updated.id() + "\"");
        }
        if (!closed) {
            room.actions().updatePresence(updated);
        }
    }

    @Override
    public RoomSettings settings() {
        return room.state().settings();
    }

    @Override
    public CompletableFuture<RoomSettings> updateSettings(UnaryOperator<RoomSettings> change) {
        Objects.requireNonNull(change, "change");
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "player \"" + self().id() + "\" has left the room; settings can no longer be changed through it"));
        }
        return settings.actions().apply(change);
    }

    /**
     * Thread-safe.
     *
     * @return the room's title, shared through the settings document (empty until someone sets it)
     */
    public String title() {
        return room.state().title();
    }

    /**
     * Sets the room's title for everyone. Thread-safe.
     *
     * @param title at most 80 characters
     * @return the title set, or the refusal naming the rule
     */
    public CompletableFuture<String> retitle(String title) {
        return settings.actions().retitle(title);
    }

    /**
     * Revokes a member of this player's closed room, which this player must own ({@link Builder#owner}): the
     * member is cut off here at once, every other member cuts it off as the revocation is gossiped to them,
     * and the member itself leaves when it hears it. Each player then hears it leave ({@link
     * RoomListener#onPlayerLeft}). The shell reaches the same action as {@code send
     * /players/NAME/piano/members revoke '"did:key:..."'}. Thread-safe.
     *
     * @param member the member's did:key, as {@link #players()} lists it
     * @return what was revoked; or fails with an {@link IllegalStateException} in an open room or for a
     *     player that does not own the room, and an {@link IllegalArgumentException} for a did:key that is
     *     not a member playing with this player (malformed, unknown, already revoked, or the owner itself)
     */
    public CompletableFuture<RevokedMember> revoke(String member) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "player \"" + self().id() + "\" has left the room; it can no longer revoke anyone"));
        }
        return members.actions().revoke(member);
    }

    /** @return what this player's membership actor shows (for tests) */
    MembersView membersView() {
        return members.state();
    }

    /** @return the path of one of this player's actors, such as {@code /piano/room} */
    static String path(ActorToken<?, ?> actor) {
        return "/" + NAMESPACE + "/" + actor.name();
    }

    /** @return this player's actors by path, as an inspector lists them (for tests) */
    List<String> actorPaths() {
        return system.actors().stream().map(ActorInfo::name).toList();
    }

    /** Pings every present peer now, for tests that drive time themselves. */
    void pingPeersNow() {
        room.actions().pingPeers();
    }

    /** Renews this player's presence if due and expires silent peers now, for tests that drive time themselves. */
    void checkPresenceNow() {
        system.client(path(PRESENCE), PRESENCE).actions().checkNow();
    }

    /**
     * The settings document's current version (its heads), to check what changed it: playing
     * notes must leave it alone. Thread-safe.
     *
     * @return the version
     */
    public CompletableFuture<DocumentVersion> settingsVersion() {
        return settings.actions().currentVersion();
    }

    /** Leaves the room: the presence is withdrawn and every transport is closed. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        events.cancel();
        system.close();
        LOG.info("player {} left the network piano room", self().id());
    }

    private void dispatch(ActorEvent event) {
        if (closed) {
            return;
        }
        Object payload = event.payload();
        switch (event.name()) {
            case RoomEvents.MESSAGE -> notifyAll(l -> l.onMessage((PianoMessage) payload));
            case RoomEvents.PLAYER_LEFT -> notifyAll(l -> l.onPlayerLeft((Player) payload));
            case RoomEvents.LATENCY -> {
                RoomEvents.Latency latency = (RoomEvents.Latency) payload;
                notifyAll(l -> l.onLatency(latency.peerId(), latency.oneWay()));
            }
            case RoomEvents.SETTINGS -> notifyAll(l -> l.onSettings((RoomSettings) payload));
            case RoomEvents.PLAYERS -> {
                @SuppressWarnings("unchecked")
                List<Player> players = (List<Player>) payload;
                notifyAll(l -> l.onPlayers(players));
            }
            default -> LOG.debug("player {}: room event {} is not for listeners", self().id(), event.name());
        }
    }

    private void notifyAll(Consumer<RoomListener> call) {
        for (RoomListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                LOG.warn("room listener of player {} threw; the others still hear the room", self().id(), e);
            }
        }
    }

    /**
     * Configures and joins a {@link NetworkPianoRoom}. Not thread-safe: build on one thread.
     *
     * <pre>{@code
     * NetworkPianoRoom room = NetworkPianoRoom.builder(peer, self)
     *         .transport(webRtc).transport(relay)
     *         .callbackExecutor(SwingUtilities::invokeLater)
     *         .join();
     * }</pre>
     */
    public static final class Builder {
        private final PeerId peer;
        private final Player player;
        private ClosedRoom closedRoom;
        private PeerIdentity owner;
        private final List<Transport> transports = new ArrayList<>();
        private Duration pingInterval = DEFAULT_PING_INTERVAL;
        private Duration checkInterval = PresenceSettings.DEFAULT_CHECK_INTERVAL;
        private Duration resyncInterval = CollaborationSettings.DEFAULT_RESYNC_INTERVAL;
        private InstantSource clock = InstantSource.system();
        private DispatcherSelector dispatcher = DispatcherSelector.shared();
        private Executor callbackExecutor;

        private Builder(PeerId peer, Player player) {
            this.peer = Objects.requireNonNull(peer, "peer");
            this.player = Objects.requireNonNull(player, "player");
            if (!peer.toString().equals(player.id())) {
                throw new IllegalArgumentException("a network player's id must be its peer id \"" + peer.toString()
                        + "\", but was \"" + player.id() + "\"");
            }
        }

        /**
         * Adds a transport; call in order of preference (WebRTC before the relay).
         *
         * @param transport a transport, not started
         * @return this builder
         */
        public Builder transport(Transport transport) {
            transports.add(Objects.requireNonNull(transport, "transport"));
            return this;
        }

        /**
         * Adds transports in order of preference.
         *
         * @param preferred transports, not started, best first
         * @return this builder
         */
        public Builder transports(List<Transport> preferred) {
            preferred.forEach(this::transport);
            return this;
        }

        /**
         * Makes this a closed room's player: {@code room} is the room as this player knows it, the one its
         * {@code MembershipTransport}s share (docs/SECURITY.md, "Closed rooms"). Default: an open room.
         *
         * @param room the closed room
         * @return this builder
         */
        public Builder closedRoom(ClosedRoom room) {
            this.closedRoom = Objects.requireNonNull(room, "room");
            return this;
        }

        /**
         * Makes this player the closed room's owner, who may {@link NetworkPianoRoom#revoke revoke} its
         * members; needs {@link #closedRoom}.
         *
         * @param identity the owner's identity: this player's, and the room's owner
         * @return this builder
         * @throws IllegalArgumentException if {@code identity} is not this player's
         */
        public Builder owner(PeerIdentity identity) {
            Objects.requireNonNull(identity, "identity");
            if (!identity.peerId().equals(peer)) {
                throw new IllegalArgumentException("the owner's identity " + identity.peerId()
                        + " must be this player's, " + peer + ": a player owns the room only with its own key");
            }
            this.owner = identity;
            return this;
        }

        /**
         * @param interval how often each peer is pinged, positive; default {@link #DEFAULT_PING_INTERVAL}
         * @return this builder
         */
        public Builder pingInterval(Duration interval) {
            this.pingInterval = positive(interval, "ping interval");
            return this;
        }

        /**
         * @param interval how often presence is renewed and checked for expiry, and the messaging
         *     actor's queues for expiry, positive; default 1 s
         * @return this builder
         */
        public Builder checkInterval(Duration interval) {
            this.checkInterval = positive(interval, "check interval");
            return this;
        }

        /**
         * @param interval how often the settings document re-syncs with a peer not known to be in
         *     sync, positive; default 2 s
         * @return this builder
         */
        public Builder resyncInterval(Duration interval) {
            this.resyncInterval = positive(interval, "resync interval");
            return this;
        }

        /**
         * @param source the clock of pings and presence; default the system clock (tests pass the
         *     simulator's virtual clock)
         * @return this builder
         */
        public Builder clock(InstantSource source) {
            this.clock = Objects.requireNonNull(source, "clock");
            return this;
        }

        /**
         * @param selector where the room's actors run; default the shared pool (the settings
         *     document then gets a dedicated thread); tests pass the calling-thread dispatcher
         * @return this builder
         */
        public Builder dispatcher(DispatcherSelector selector) {
            this.dispatcher = Objects.requireNonNull(selector, "dispatcher");
            return this;
        }

        /**
         * @param executor where {@link RoomListener}s run, one callback at a time (for example
         *     {@code SwingUtilities::invokeLater}); default the actor system's shared pool
         * @return this builder
         */
        public Builder callbackExecutor(Executor executor) {
            this.callbackExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Starts the room's actors and transports and publishes this player's presence.
         *
         * @return the membership
         * @throws IllegalStateException if no transport was given
         */
        public NetworkPianoRoom join() {
            if (transports.isEmpty()) {
                throw new IllegalStateException("a network piano room needs at least one transport; add them with"
                        + " transport(...) in order of preference");
            }
            if (owner != null && (closedRoom == null || !closedRoom.owner().equals(peer))) {
                throw new IllegalStateException("player " + peer + " was made the owner, but "
                        + (closedRoom == null
                                ? "its room is open; give the closed room with closedRoom(...)"
                                : "closed room '" + closedRoom.room() + "' is owned by " + closedRoom.owner()));
            }
            return new NetworkPianoRoom(this);
        }

        private static Duration positive(Duration value, String what) {
            Objects.requireNonNull(value, what);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("the " + what + " must be positive, but was " + value);
            }
            return value;
        }
    }
}
