package dev.ensemble.collab.ephemeral;

import dev.ensemble.transport.PeerId;

/**
 * Names and payloads of the events a {@link PresenceActor} emits. Listeners run on the client's
 * callback executor, in emission order; the actor's state ({@link RoomPresence}) shows the same
 * changes, so a UI may simply redraw on each new state instead.
 *
 * <pre>{@code
 * presence.onEvent(PresenceEvents.GONE, e -> {
 *     PresenceEvents.Gone gone = (PresenceEvents.Gone) e.payload();
 *     removePlayer(gone.peer());
 * });
 * }</pre>
 */
public final class PresenceEvents {
    /** A peer's presence appeared (first heard, or heard again after it went); payload: a {@link PeerPresence}. */
    public static final String APPEARED = "presence-appeared";
    /** A present peer published a different state; payload: the new {@link PeerPresence}. */
    public static final String UPDATED = "presence-updated";
    /** A peer's presence went; payload: a {@link Gone}. */
    public static final String GONE = "presence-gone";
    /** A presence message from a peer was dropped; payload: an {@link EphemeralError} naming the peer. */
    public static final String ERROR = "presence-error";

    private PresenceEvents() {}

    /**
     * A peer's presence was removed.
     *
     * @param peer the peer
     * @param reason why
     */
    public record Gone(PeerId peer, Reason reason) {}

    /** Why a presence was removed. */
    public enum Reason {
        /** The peer said goodbye (it left the room cleanly or cleared its presence). */
        LEFT,
        /** The peer is no longer reachable on any transport. */
        DISCONNECTED,
        /** Nothing was heard from the peer for the expiry time. */
        EXPIRED
    }
}
