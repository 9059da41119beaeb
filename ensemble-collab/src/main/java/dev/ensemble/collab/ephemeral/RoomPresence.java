package dev.ensemble.collab.ephemeral;

import dev.ensemble.transport.PeerId;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Who is present in the room: the state of a {@link PresenceActor}. Immutable.
 *
 * @param own this peer's published state, or null if it has published none (or left)
 * @param peers the other peers' presence, by peer
 * @param <P> the presence state type
 */
public record RoomPresence<P>(P own, Map<PeerId, PeerPresence<P>> peers) {
    /**
     * @param own this peer's state, or null
     * @param peers the other peers' presence
     */
    public RoomPresence {
        Objects.requireNonNull(peers, "peers");
        peers = Map.copyOf(peers);
    }

    /**
     * @param <P> the presence state type
     * @return nobody present, nothing published
     */
    public static <P> RoomPresence<P> empty() {
        return new RoomPresence<>(null, Map.of());
    }

    /**
     * @param peer a peer
     * @return its presence, if it is present
     */
    public Optional<PeerPresence<P>> of(PeerId peer) {
        return Optional.ofNullable(peers.get(peer));
    }

    RoomPresence<P> withOwn(P state) {
        return new RoomPresence<>(state, peers);
    }

    RoomPresence<P> with(PeerPresence<P> presence) {
        Map<PeerId, PeerPresence<P>> next = new TreeMap<>(peers);
        next.put(presence.peer(), presence);
        return new RoomPresence<>(own, next);
    }

    RoomPresence<P> without(PeerId peer) {
        Map<PeerId, PeerPresence<P>> next = new TreeMap<>(peers);
        next.remove(peer);
        return new RoomPresence<>(own, next);
    }
}
