package dev.ensemble.piano.room;

import dev.ensemble.piano.model.PianoMessage;
import dev.ensemble.piano.model.Player;
import dev.ensemble.piano.model.RoomSettings;
import java.time.Duration;
import java.util.List;

/**
 * Hears a {@link PianoRoom}. Override what you need: new kinds of news become new empty methods,
 * so no listener breaks.
 *
 * <p>Callbacks run on the room's delivery thread, one at a time: be fast, do not block, do not
 * throw, do not call back into the room synchronously expecting an answer. The usual body hands
 * the news to an actor.
 */
public abstract class RoomListener {
    /** A listener that ignores everything. */
    public static final RoomListener NONE = new RoomListener() {};

    /**
     * Another player's note, pedal or beat arrived.
     *
     * @param message the message
     */
    public void onMessage(PianoMessage message) {}

    /**
     * Who is present changed (joined, left, changed instrument or transport).
     *
     * @param players everyone present, this player included
     */
    public void onPlayers(List<Player> players) {}

    /**
     * A player left or vanished: release everything they hold. Called before the matching
     * {@link #onPlayers}.
     *
     * @param player who is gone
     */
    public void onPlayerLeft(Player player) {}

    /**
     * A new latency measurement to a peer (about two a second per peer).
     *
     * @param peerId the peer
     * @param oneWay the one-way latency measured
     */
    public void onLatency(String peerId, Duration oneWay) {}

    /**
     * The room's settings changed (also when this player changed them).
     *
     * @param settings the new settings
     */
    public void onSettings(RoomSettings settings) {}
}
