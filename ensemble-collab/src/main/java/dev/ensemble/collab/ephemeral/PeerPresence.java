package dev.ensemble.collab.ephemeral;

import dev.ensemble.transport.PeerId;
import java.time.Instant;
import java.util.Objects;

/**
 * What one peer has published about itself, and when it was last heard. Immutable as far as the
 * state type is.
 *
 * @param peer the peer
 * @param state its published state (name, colour, instrument, ...)
 * @param lastSeen when its latest announcement arrived, by the receiver's clock
 * @param <P> the presence state type
 */
public record PeerPresence<P>(PeerId peer, P state, Instant lastSeen) {
    /**
     * @param peer the peer
     * @param state its state
     * @param lastSeen when it was last heard
     */
    public PeerPresence {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(lastSeen, "lastSeen");
    }
}
