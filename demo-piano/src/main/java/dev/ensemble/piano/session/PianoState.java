package dev.ensemble.piano.session;

import dev.ensemble.piano.model.Player;
import dev.ensemble.piano.model.RoomSettings;
import java.util.List;
import java.util.Map;

/**
 * What a player's piano shows: who is present, which keys sound in whose colour, the room's
 * settings.
 *
 * @param self this player
 * @param players everyone present, this player first
 * @param litKeys each key heard held right now and the colour ({@code 0xRRGGBB}) of its most
 *     recent holder
 * @param settings the room's settings
 * @param notesSent note-ons this player played
 * @param notesHeard note-ons this player heard (its own and its peers')
 */
public record PianoState(
        Player self,
        List<PeerView> players,
        Map<Integer, Integer> litKeys,
        RoomSettings settings,
        long notesSent,
        long notesHeard) {
    /** Copies the collections. */
    public PianoState {
        players = List.copyOf(players);
        litKeys = Map.copyOf(litKeys);
    }
}
