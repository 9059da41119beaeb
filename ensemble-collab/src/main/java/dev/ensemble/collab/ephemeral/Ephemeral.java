package dev.ensemble.collab.ephemeral;

import dev.ensemble.core.ActorToken;
import dev.ensemble.transport.PeerId;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The actions of an {@link EphemeralChannel}: send small typed messages that never enter a
 * document to one peer or to the whole room. Both are tells; the client's proxy may be called
 * from any thread.
 *
 * <pre>{@code
 * static final ActorToken<Ephemeral, ChannelStatus> CHANNEL = Ephemeral.token("room-ephemeral");
 * channel.actions().broadcast(NOTES, new Note(60, 100, true));
 * channel.actions().send(otherPeer, PINGS, new Ping(System.nanoTime()));
 * }</pre>
 *
 * <p>A call that breaks a rule (a topic not registered on this channel, a message that cannot be
 * encoded or is larger than its topic allows) fails as a tell does: it is logged and emitted as
 * an {@link dev.ensemble.core.ActorEvent#ACTION_FAILED} event with the rule and the value seen;
 * nothing is sent.
 */
public interface Ephemeral {
    /**
     * A token for a channel.
     *
     * @param name the actor's name
     * @return its token
     */
    static ActorToken<Ephemeral, ChannelStatus> token(String name) {
        return ActorToken.of(name, Ephemeral.class, ChannelStatus.class);
    }

    /**
     * Sends a message to one peer. If the peer is known but unreachable just now, the room's
     * messaging actor queues it (bounded) until the peer comes back. Tell.
     *
     * @param to the peer
     * @param topic a topic registered on this channel
     * @param message the message
     * @param <T> the message type
     */
    <T> void send(PeerId to, Topic<T> topic, T message);

    /**
     * Sends a message to every peer in the room now (the room's roster); peers who join later do
     * not receive it. Tell.
     *
     * @param topic a topic registered on this channel
     * @param message the message
     * @param <T> the message type
     */
    <T> void broadcast(Topic<T> topic, T message);

    /**
     * Measures the round trip to a peer: sends a {@code ping} envelope, which the peer's messaging
     * actor answers with a {@code pong}, and completes with the time between the two by this
     * channel's clock. Fails with a {@link java.util.concurrent.TimeoutException} if no pong came
     * within {@link EphemeralSettings#pingTimeout()}. Ask.
     *
     * @param peer the peer
     * @return the round-trip time
     */
    CompletableFuture<Duration> ping(PeerId peer);
}
