package dev.ensemble.collab.peers;

import dev.ensemble.transport.PeerId;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The peers reachable now, each with the name of the transport in use for it ("webrtc",
 * "websocket", "memory", ...). The state of a {@link PeerMessagingActor}. Immutable.
 *
 * @param transports transport name per reachable peer
 */
public record Roster(Map<PeerId, String> transports) {
    private static final Roster EMPTY = new Roster(Map.of());

    /**
     * @param transports transport name per peer
     */
    public Roster {
        Objects.requireNonNull(transports, "transports");
        transports = Map.copyOf(transports);
    }

    /** @return the roster with nobody in it */
    public static Roster empty() {
        return EMPTY;
    }

    /** @return the reachable peers */
    public Set<PeerId> peers() {
        return transports.keySet();
    }

    /**
     * @param peer a peer
     * @return the transport in use for it, if it is reachable
     */
    public Optional<String> transportOf(PeerId peer) {
        return Optional.ofNullable(transports.get(peer));
    }

    /**
     * @param peer a peer
     * @param transport its transport, or null to remove it
     * @return a changed copy
     */
    public Roster with(PeerId peer, String transport) {
        Map<PeerId, String> next = new TreeMap<>(transports);
        if (transport == null) {
            next.remove(peer);
        } else {
            next.put(peer, transport);
        }
        return new Roster(next);
    }
}
