package dev.ensemble.collab.ephemeral;

import dev.ensemble.collab.peers.PeerEvents;
import dev.ensemble.collab.peers.PeerMessaging;
import dev.ensemble.collab.wire.Envelope;
import dev.ensemble.collab.wire.EnvelopeKind;
import dev.ensemble.core.Actor;
import dev.ensemble.core.ActorEvent;
import dev.ensemble.transport.PeerId;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An actor that publishes this peer's presence to the room and keeps everyone else's: its state
 * ({@link RoomPresence}) maps each present peer to its latest state and last-seen time.
 *
 * <pre>{@code
 * static final ActorToken<Presence<Player>, RoomPresence<Player>> PRESENCE = Presence.token("presence");
 * builder.add(PRESENCE, () -> new PresenceActor<>(
 *         PresenceSettings.builder(PEERS, PayloadCodec.json(Player.class)).build()), PEERS);
 * }</pre>
 *
 * <h2>Life of a presence</h2>
 * <ul>
 *   <li><b>Appears</b> when a peer's announcement arrives: after it calls
 *       {@link Presence#update}, and whenever a peer joins the room, since every peer with a state
 *       sends it straight to a peer that (re)joins. A reconnecting peer reappears at once.
 *   <li><b>Renewed</b> every {@link PresenceSettings#renewInterval()} (15 s by default).
 *   <li><b>Expires</b> when nothing was heard from the peer for
 *       {@link PresenceSettings#expireAfter()} (30 s by default), checked every
 *       {@link PresenceSettings#checkInterval()}.
 *   <li><b>Goes at once</b> when the peer says goodbye ({@link Presence#leave}, or its actor
 *       stops) or the room's messaging actor reports it left (unreachable on every transport).
 * </ul>
 * Each change is emitted ({@link PresenceEvents}) and shows in the state.
 *
 * <h2>Wire</h2>
 * Announcements travel in {@code ephemeral} envelopes on their own channel
 * ({@link PresenceSettings#channel()}) with the same inner layout and the same per-sender order
 * as an {@link EphemeralChannel}: topic {@code presence} carries the encoded state, topic
 * {@code bye} (empty) the goodbye. An announcement older than one already applied is dropped, so
 * a late renewal never brings back an old state.
 *
 * <h2>Bad input</h2>
 * A malformed or oversized announcement, one on an unknown topic, or a state the codec cannot
 * decode is dropped with a {@link PresenceEvents#ERROR} naming the peer. Announcements from a
 * peer that is not in the room's roster are ignored.
 *
 * <h2>Threading</h2>
 * An actor: use it through its client, whose methods are thread-safe.
 *
 * @param <P> the presence state type
 */
public class PresenceActor<P> extends Actor<RoomPresence<P>> implements Presence<P> {
    static final String PRESENCE_TOPIC = "presence";
    static final String BYE_TOPIC = "bye";
    private static final Logger LOG = LoggerFactory.getLogger(PresenceActor.class);
    private static final byte[] NOTHING = new byte[0];

    private final PresenceSettings<P> settings;
    /** Turn-owned: what has been applied from each sender. */
    private final SenderOrder order = new SenderOrder();
    /** Turn-owned: the room's peers, from the messaging actor's joined and left events. */
    private final Set<PeerId> roster = new HashSet<>();
    /** Turn-owned: created in the first turn. */
    private Outbox outbox;
    /** Turn-owned: this peer's encoded state, or null while it has none. */
    private byte[] ownBytes;
    /** Turn-owned: when this peer last announced its state to the whole room. */
    private Instant lastAnnounced = Instant.MIN;

    /**
     * @param settings the room's messaging actor, the codec, the timings
     */
    public PresenceActor(PresenceSettings<P> settings) {
        super(RoomPresence.empty());
        this.settings = settings;
    }

    @Override
    protected void onStart() {
        outbox = new Outbox(settings.channel(), settings.clock().millis());
        roster.addAll(dependency(settings.peers()).state().peers());
        reactToEvents(settings.peers(), PeerEvents.PEER_JOINED, event -> joined((PeerId) event.payload()));
        reactToEvents(settings.peers(), PeerEvents.PEER_LEFT, event -> left((PeerId) event.payload()));
        reactToEvents(settings.peers(), PeerEvents.EPHEMERAL, this::received);
        scheduleAtFixedRate(settings.checkInterval(), settings.checkInterval(), this::checkNow);
    }

    @Override
    protected void onStop() {
        if (ownBytes != null) {
            messaging().broadcast(outbox.next(BYE_TOPIC, NOTHING));
        }
    }

    @Override
    public void update(P state) {
        Objects.requireNonNull(state, "state");
        byte[] bytes;
        try {
            bytes = settings.codec().encode(state);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(
                    "cannot encode presence state " + state + " with " + settings.codec() + ": " + e.getMessage(), e);
        }
        if (bytes.length > settings.maxStateBytes()) {
            throw new IllegalArgumentException("a presence state must be at most " + settings.maxStateBytes()
                    + " bytes encoded, was " + bytes.length + ": publish less, or raise maxStateBytes on every peer");
        }
        ownBytes = bytes;
        setState(state().withOwn(state));
        announce();
    }

    @Override
    public void leave() {
        if (ownBytes == null) {
            return;
        }
        ownBytes = null;
        setState(state().withOwn(null));
        messaging().broadcast(outbox.next(BYE_TOPIC, NOTHING));
    }

    @Override
    public void checkNow() {
        Instant now = settings.clock().instant();
        if (ownBytes != null && !now.isBefore(lastAnnounced.plus(settings.renewInterval()))) {
            announce();
        }
        for (PeerPresence<P> presence : new ArrayList<>(state().peers().values())) {
            if (!now.isBefore(presence.lastSeen().plus(settings.expireAfter()))) {
                LOG.debug("presence of {} expired: last seen {}, now {}", presence.peer(), presence.lastSeen(), now);
                gone(presence.peer(), PresenceEvents.Reason.EXPIRED);
            }
        }
    }

    private PeerMessaging messaging() {
        return dependency(settings.peers()).actions();
    }

    private void announce() {
        messaging().broadcast(outbox.next(PRESENCE_TOPIC, ownBytes));
        lastAnnounced = settings.clock().instant();
    }

    private void joined(PeerId peer) {
        roster.add(peer);
        if (ownBytes != null) {
            messaging().send(peer, outbox.next(PRESENCE_TOPIC, ownBytes));
        }
    }

    private void left(PeerId peer) {
        roster.remove(peer);
        gone(peer, PresenceEvents.Reason.DISCONNECTED);
    }

    private void gone(PeerId peer, PresenceEvents.Reason reason) {
        if (state().peers().containsKey(peer)) {
            setState(state().without(peer));
            emit(PresenceEvents.GONE, new PresenceEvents.Gone(peer, reason));
        }
    }

    private void received(ActorEvent event) {
        PeerEvents.Received received = (PeerEvents.Received) event.payload();
        Envelope envelope = received.envelope();
        if (envelope.kind() != EnvelopeKind.EPHEMERAL || !envelope.documentId().equals(settings.channel())) {
            return;
        }
        PeerId from = received.from();
        if (!roster.contains(from)) {
            LOG.debug("ignored presence from {}, who is not in the room", from);
            return;
        }
        Frame frame;
        try {
            frame = Frame.decode(envelope.payload());
        } catch (Frame.MalformedFrameException e) {
            reject(
                    from,
                    null,
                    "dropped a malformed presence message of " + envelope.payload().length + " bytes from " + from
                            + ": " + e.getMessage());
            return;
        }
        switch (frame.topic()) {
            case PRESENCE_TOPIC -> announced(from, frame);
            case BYE_TOPIC -> {
                if (order.accept(from, frame.epoch(), frame.sequence())) {
                    gone(from, PresenceEvents.Reason.LEFT);
                }
            }
            default ->
                reject(
                        from,
                        frame.topic(),
                        "dropped a presence message from " + from + " on unknown topic \"" + frame.topic()
                                + "\" (expected \"" + PRESENCE_TOPIC + "\" or \"" + BYE_TOPIC + "\")");
        }
    }

    private void announced(PeerId from, Frame frame) {
        if (frame.message().length > settings.maxStateBytes()) {
            reject(
                    from,
                    frame.topic(),
                    "dropped an oversized presence state from " + from + ": at most " + settings.maxStateBytes()
                            + " bytes, was " + frame.message().length);
            return;
        }
        P decoded;
        try {
            decoded = settings.codec().decode(frame.message());
        } catch (IOException | RuntimeException e) {
            reject(
                    from,
                    frame.topic(),
                    "dropped an undecodable presence state from " + from + " (" + settings.codec() + "): "
                            + e.getMessage());
            return;
        }
        if (decoded == null) {
            reject(from, frame.topic(), "dropped a null presence state from " + from);
            return;
        }
        if (!order.accept(from, frame.epoch(), frame.sequence())) {
            return;
        }
        PeerPresence<P> previous = state().peers().get(from);
        PeerPresence<P> next =
                new PeerPresence<>(from, decoded, settings.clock().instant());
        setState(state().with(next));
        if (previous == null) {
            emit(PresenceEvents.APPEARED, next);
        } else if (!previous.state().equals(decoded)) {
            emit(PresenceEvents.UPDATED, next);
        }
    }

    private void reject(PeerId from, String topic, String reason) {
        LOG.warn("presence channel \"{}\": {}", settings.channel(), reason);
        emit(PresenceEvents.ERROR, new EphemeralError(from, settings.channel(), topic, reason));
    }
}
