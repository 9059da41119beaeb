package dev.ensemble.collab.peers;

import dev.ensemble.collab.wire.Envelope;
import dev.ensemble.core.ActorToken;
import dev.ensemble.transport.PeerId;
import java.util.concurrent.CompletableFuture;

/**
 * The actions of a room's messaging actor ({@link PeerMessagingActor}): it knows which peers are
 * reachable and over which transport, and carries envelopes to and from them.
 *
 * <p>Its state is the {@link Roster}. Its events (names in {@link PeerEvents}) announce peers
 * joining and leaving, transport changes, received envelopes per document, and errors.
 *
 * <pre>{@code
 * static final ActorToken<PeerMessaging, Roster> PEERS = PeerMessaging.token("room-peers");
 * builder.add(PEERS, () -> new PeerMessagingActor(PeerMessagingSettings.builder()
 *         .transport(webRtc).transport(webSocketRelay).build()));
 * }</pre>
 */
public interface PeerMessaging {
    /**
     * A token for a messaging actor.
     *
     * @param name the actor's name
     * @return its token
     */
    static ActorToken<PeerMessaging, Roster> token(String name) {
        return ActorToken.of(name, PeerMessaging.class, Roster.class);
    }

    /**
     * Sends to one peer over its current transport, chunked if larger than the transport allows.
     * While the peer has no transport, envelopes wait in a bounded queue. Tell.
     *
     * @param to the peer
     * @param envelope what to send
     */
    void send(PeerId to, Envelope envelope);

    /**
     * Sends to every peer in the roster. Tell.
     *
     * @param envelope what to send
     */
    void broadcast(Envelope envelope);

    /**
     * Ask.
     *
     * @return the peers reachable now and their transports
     */
    CompletableFuture<Roster> roster();
}
