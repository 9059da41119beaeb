package dev.ensemble.collab.ephemeral;

import dev.ensemble.collab.peers.PeerEvents;
import dev.ensemble.collab.peers.PeerMessaging;
import dev.ensemble.collab.wire.Envelope;
import dev.ensemble.collab.wire.EnvelopeKind;
import dev.ensemble.core.Actor;
import dev.ensemble.core.ActorEvent;
import dev.ensemble.core.Cancellable;
import dev.ensemble.transport.PeerId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An actor that carries small typed messages between the peers of a room, outside any document:
 * notes, pedal changes, cursors, pings. It rides on the room's {@link PeerMessaging} actor, inside
 * {@code ephemeral} envelopes whose document id is the channel id.
 *
 * <pre>{@code
 * static final ActorToken<Ephemeral, ChannelStatus> CHANNEL = Ephemeral.token("room-ephemeral");
 * builder.add(CHANNEL, () -> new EphemeralChannel(EphemeralSettings.builder(PEERS)
 *         .topic(NOTES).topic(PEDAL).build()), PEERS);
 * ...
 * ActorClient<Ephemeral, ChannelStatus> channel = system.client(CHANNEL);
 * channel.onEvent(NOTES.eventName(), e -> play(NOTES.message(e).message()));
 * channel.actions().broadcast(NOTES, new Note(60, 100, true));
 * }</pre>
 *
 * <h2>Delivery guarantee</h2>
 * Per sender, across all topics of a channel, messages are delivered <b>in the order they were
 * sent, possibly with gaps, never twice and never reordered</b>: each message carries the
 * sender's epoch and a sequence number, and a message that is not newer than the last one
 * delivered from that sender is dropped (counted in {@link ChannelStatus#stale()}). Nothing is
 * resent: over a reliable ordered transport (a reliable data channel, the WebSocket relay) a
 * connected peer receives everything; over a lossy link, what is lost or overtaken is gone. A
 * sender's epoch is its start time in milliseconds, so a restarted sender is accepted again at
 * once.
 *
 * <h2>Bad input</h2>
 * A message that is malformed, larger than its topic allows, on a topic this channel has not
 * registered, or that its codec cannot decode is dropped with an {@link EphemeralEvents#ERROR}
 * event naming the peer ({@link EphemeralError}); every other message and peer carries on.
 * Envelopes of other channels are not this channel's business and are ignored.
 *
 * <h2>Round trips</h2>
 * {@link #ping(PeerId)} measures the round trip with the envelope-level {@code ping}/{@code pong}
 * that every peer's messaging actor answers, so no topic is needed for latency.
 *
 * <h2>Threading</h2>
 * An actor: use it through its client, whose methods are thread-safe. Codecs run in its turns.
 */
public class EphemeralChannel extends Actor<ChannelStatus> implements Ephemeral {
    private static final Logger LOG = LoggerFactory.getLogger(EphemeralChannel.class);

    private final EphemeralSettings settings;
    private final Map<String, Topic<?>> topics;
    /** Turn-owned: what has been delivered from each sender. */
    private final SenderOrder order = new SenderOrder();
    /** Turn-owned: created in the first turn, when the epoch is read from the clock. */
    private Outbox outbox;
    /** Turn-owned: pings waiting for their pong, by token. */
    private final Map<Long, PendingPing> pings = new HashMap<>();
    /** Turn-owned: told apart from other channels' pings on the same peer connection. */
    private final long pingNonce = ThreadLocalRandom.current().nextLong();
    /** Turn-owned: the next ping's token. */
    private long nextPing = 1;

    /**
     * @param settings the room's messaging actor, the channel id and the topics
     */
    public EphemeralChannel(EphemeralSettings settings) {
        super(new ChannelStatus(settings.channel(), settings.topicsByName().keySet(), 0, 0, 0, 0));
        this.settings = settings;
        this.topics = settings.topicsByName();
    }

    @Override
    protected void onStop() {
        for (PendingPing pending : pings.values()) {
            pending.rtt()
                    .completeExceptionally(new IllegalStateException("channel \"" + settings.channel()
                            + "\" stopped before a pong from " + pending.peer() + " arrived"));
        }
        pings.clear();
    }

    @Override
    protected void onStart() {
        outbox = new Outbox(settings.channel(), settings.clock().millis());
        reactToEvents(settings.peers(), PeerEvents.EPHEMERAL, this::received);
    }

    @Override
    public <T> void send(PeerId to, Topic<T> topic, T message) {
        dependency(settings.peers()).actions().send(to, envelope(topic, message));
        setState(state().withSent());
    }

    @Override
    public <T> void broadcast(Topic<T> topic, T message) {
        dependency(settings.peers()).actions().broadcast(envelope(topic, message));
        setState(state().withSent());
    }

    @Override
    public CompletableFuture<Duration> ping(PeerId peer) {
        long token = nextPing++;
        CompletableFuture<Duration> rtt = new CompletableFuture<>();
        Cancellable timeout = scheduleOnce(settings.pingTimeout(), () -> {
            PendingPing expired = pings.remove(token);
            if (expired != null) {
                expired.rtt()
                        .completeExceptionally(new TimeoutException("no pong from " + peer + " within "
                                + settings.pingTimeout() + " (channel \"" + settings.channel() + "\")"));
            }
        });
        pings.put(token, new PendingPing(peer, settings.clock().instant(), rtt, timeout));
        dependency(settings.peers())
                .actions()
                .send(
                        peer,
                        Envelope.ping(ByteBuffer.allocate(16)
                                .putLong(pingNonce)
                                .putLong(token)
                                .array()));
        return rtt;
    }

    private void ponged(PeerId from, byte[] payload) {
        if (payload.length != 16) {
            return;
        }
        ByteBuffer in = ByteBuffer.wrap(payload);
        if (in.getLong() != pingNonce) {
            return;
        }
        long token = in.getLong();
        PendingPing pending = pings.get(token);
        if (pending == null || !pending.peer().equals(from)) {
            return;
        }
        pings.remove(token);
        pending.timeout().cancel();
        pending.rtt().complete(Duration.between(pending.sent(), settings.clock().instant()));
    }

    /** A ping waiting for its pong. */
    private record PendingPing(PeerId peer, Instant sent, CompletableFuture<Duration> rtt, Cancellable timeout) {}

    private <T> Envelope envelope(Topic<T> topic, T message) {
        Topic<T> registered = registered(topic);
        byte[] bytes;
        try {
            bytes = registered.codec().encode(message);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(
                    "cannot encode a message on topic \"" + topic.name() + "\" with " + registered.codec() + ": "
                            + e.getMessage(),
                    e);
        }
        if (bytes.length > registered.maxPayloadBytes()) {
            throw new IllegalArgumentException("a message on topic \"" + topic.name() + "\" must be at most "
                    + registered.maxPayloadBytes() + " bytes encoded, was " + bytes.length
                    + ": send less, or raise the topic's maxPayloadBytes on every peer");
        }
        return outbox.next(topic.name(), bytes);
    }

    @SuppressWarnings("unchecked")
    private <T> Topic<T> registered(Topic<T> topic) {
        Topic<?> registered = topics.get(topic.name());
        if (registered == null) {
            throw new IllegalArgumentException("topic \"" + topic.name() + "\" is not registered on channel \""
                    + settings.channel() + "\" (registered: " + topics.keySet()
                    + "); add it with EphemeralSettings.Builder.topic()");
        }
        return (Topic<T>) registered;
    }

    private void received(ActorEvent event) {
        PeerEvents.Received received = (PeerEvents.Received) event.payload();
        Envelope envelope = received.envelope();
        PeerId from = received.from();
        if (envelope.kind() == EnvelopeKind.PONG) {
            ponged(from, envelope.payload());
            return;
        }
        if (envelope.kind() != EnvelopeKind.EPHEMERAL || !envelope.documentId().equals(settings.channel())) {
            return;
        }
        Frame frame;
        try {
            frame = Frame.decode(envelope.payload());
        } catch (Frame.MalformedFrameException e) {
            reject(
                    from,
                    null,
                    "dropped a malformed ephemeral message of " + envelope.payload().length + " bytes from " + from
                            + ": " + e.getMessage());
            return;
        }
        Topic<?> topic = topics.get(frame.topic());
        if (topic == null) {
            reject(
                    from,
                    frame.topic(),
                    "dropped a message from " + from + " on unknown topic \"" + frame.topic() + "\" (this channel has "
                            + topics.keySet() + ")");
            return;
        }
        if (frame.message().length > topic.maxPayloadBytes()) {
            reject(
                    from,
                    frame.topic(),
                    "dropped an oversized message from " + from + " on topic \""
                            + frame.topic() + "\": at most " + topic.maxPayloadBytes() + " bytes, was "
                            + frame.message().length);
            return;
        }
        Object message;
        try {
            message = topic.codec().decode(frame.message());
        } catch (IOException | RuntimeException e) {
            reject(
                    from,
                    frame.topic(),
                    "dropped an undecodable message from " + from + " on topic \"" + frame.topic() + "\" ("
                            + topic.codec() + "): " + e.getMessage());
            return;
        }
        if (!order.accept(from, frame.epoch(), frame.sequence())) {
            LOG.debug(
                    "dropped stale message {}/{} from {} on channel \"{}\"",
                    frame.epoch(),
                    frame.sequence(),
                    from,
                    settings.channel());
            setState(state().withStale());
            return;
        }
        setState(state().withDelivered());
        emit(
                EphemeralEvents.message(frame.topic()),
                new EphemeralMessage<>(from, frame.topic(), frame.sequence(), message));
    }

    private void reject(PeerId from, String topic, String reason) {
        LOG.warn("channel \"{}\": {}", settings.channel(), reason);
        setState(state().withRejected());
        emit(EphemeralEvents.ERROR, new EphemeralError(from, settings.channel(), topic, reason));
    }
}
