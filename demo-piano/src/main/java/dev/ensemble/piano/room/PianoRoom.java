package dev.ensemble.piano.room;

import dev.ensemble.core.Subscription;
import dev.ensemble.piano.model.PianoMessage;
import dev.ensemble.piano.model.Player;
import dev.ensemble.piano.model.RoomSettings;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * One player's membership of a piano room: what the piano needs from the network, and nothing
 * more. {@link LocalRoomHub} implements it in-process; a network room implements it over the
 * collaboration modules (ephemeral messages for notes and pings, presence for the players list,
 * a collaboration document for the settings).
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@link #send} delivers a message to every <em>other</em> player, best effort, in the order
 *       sent; it never blocks and never throws for network trouble.</li>
 *   <li>Listeners hear other players' messages, roster changes (a player who leaves or vanishes
 *       is reported through {@link RoomListener#onPlayerLeft} so their notes can be released),
 *       latency samples (about two a second per peer) and settings changes (including this
 *       player's own).</li>
 *   <li>{@link #close()} leaves the room; others are told this player left.</li>
 * </ul>
 *
 * <pre>{@code
 * PianoRoom room = hub.join(alice);
 * Subscription s = room.subscribe(new RoomListener() {
 *     public void onMessage(PianoMessage message) { piano.heard(message); }
 * });
 * room.send(NoteEvent.on(alice.id(), 60, 100));
 * }</pre>
 *
 * <p>Thread-safe: every method may be called from any thread. Listeners run on the room's
 * delivery thread: they must be fast, must not block and must not throw (hand the work to an
 * actor).
 */
public interface PianoRoom extends AutoCloseable {
    /** @return this player, as the room last announced them */
    Player self();

    /**
     * Sends a message to every other player. Thread-safe; never blocks.
     *
     * @param message a note, pedal or beat of this player
     */
    void send(PianoMessage message);

    /**
     * Thread-safe.
     *
     * @param listener hears the room on its delivery thread
     * @return a handle that unsubscribes
     */
    Subscription subscribe(RoomListener listener);

    /**
     * Thread-safe.
     *
     * @return everyone present, this player included, in the order they joined
     */
    List<Player> players();

    /**
     * Announces a change of this player (for example another instrument). Thread-safe.
     *
     * @param self the new presence; its id must be this player's
     */
    void updatePresence(Player self);

    /**
     * Thread-safe.
     *
     * @return the room's current settings
     */
    RoomSettings settings();

    /**
     * Changes the room's settings for everyone. Thread-safe.
     *
     * @param change turns the current settings into the new ones; may throw
     *     {@link IllegalArgumentException} to refuse
     * @return the settings after the change, or the failure of {@code change}
     */
    CompletableFuture<RoomSettings> updateSettings(UnaryOperator<RoomSettings> change);

    /** Leaves the room; idempotent. Thread-safe. */
    @Override
    void close();
}
