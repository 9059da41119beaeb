package dev.ensemble.piano.room;

import dev.ensemble.piano.model.Player;
import dev.ensemble.piano.model.RoomSettings;
import java.util.List;

/**
 * What a {@link NetworkPianoRoom} shows: the state of its {@link PianoRoomActor}. Immutable.
 *
 * @param self this player
 * @param players everyone present, this player first, then in the order they were first seen
 * @param settings the room's settings
 * @param title the room's title
 */
record RoomView(Player self, List<Player> players, RoomSettings settings, String title) {
    RoomView {
        players = List.copyOf(players);
    }
}
