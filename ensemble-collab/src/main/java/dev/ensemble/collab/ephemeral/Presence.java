package dev.ensemble.collab.ephemeral;

import dev.ensemble.core.ActorToken;

/**
 * The actions of a {@link PresenceActor}: publish this peer's small state (name, colour,
 * instrument, ...) to the room, and see everyone else's in its state ({@link RoomPresence}).
 * All are tells; the client's proxy may be called from any thread.
 *
 * <pre>{@code
 * record Player(String name, String colour, String instrument) {}
 * static final ActorToken<Presence<Player>, RoomPresence<Player>> PRESENCE = Presence.token("presence");
 *
 * presence.actions().update(new Player("Ada", "#ff8800", "piano"));
 * presence.onState(room -> showPlayers(room.peers().values()));
 * }</pre>
 *
 * @param <P> the presence state type
 */
public interface Presence<P> {
    /**
     * A token for a presence actor.
     *
     * @param name the actor's name
     * @param <P> the presence state type
     * @return its token
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static <P> ActorToken<Presence<P>, RoomPresence<P>> token(String name) {
        return (ActorToken) ActorToken.of(name, Presence.class, RoomPresence.class);
    }

    /**
     * Publishes this peer's state to the room now, and from then on renews it periodically.
     * A state larger than the settings allow fails the tell (logged, and emitted as
     * {@link dev.ensemble.core.ActorEvent#ACTION_FAILED}). Tell.
     *
     * @param state the new state, not null
     */
    void update(P state);

    /**
     * Withdraws this peer's state: the room is told at once and stops seeing it. Stopping the
     * actor does the same. Tell.
     */
    void leave();

    /**
     * Renews this peer's announcement if it is due and removes peers that have been silent for the
     * expiry time, now rather than at the next periodic check. Useful with a manual clock. Tell.
     */
    void checkNow();
}
