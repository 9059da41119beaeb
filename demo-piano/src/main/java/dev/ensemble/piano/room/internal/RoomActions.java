package dev.ensemble.piano.room.internal;

import dev.ensemble.piano.model.PianoMessage;
import dev.ensemble.piano.model.Player;

/**
 * INTERNAL API: the actions of the network piano room's actor; public only because actor proxies
 * need a public interface.
 *
 * <p>The actions of a piano room actor: all tells; the client's proxy may be called from any thread. */
public interface RoomActions {
    /**
     * Broadcasts one of this player's messages on its topic.
     *
     * @param message a note, pedal or beat of this player
     */
    void send(PianoMessage message);

    /**
     * Publishes a new presence for this player.
     *
     * @param self the new presence; same id
     */
    void updatePresence(Player self);

    /** Pings every present peer once; each answer becomes a latency event. */
    void pingPeers();
}
