package dev.ensemble.piano.session;

import dev.ensemble.piano.model.Instrument;
import java.util.Objects;

/**
 * A note this player's synthesizer played or released: what the player heard, emitted by
 * {@link PianoSession} as the event {@value PianoSession#HEARD_NOTE} at the moment it was played
 * (after latency compensation). Own notes are included.
 *
 * @param atMillis when it was played (this machine's clock, milliseconds since the epoch)
 * @param playerId whose note it is
 * @param playerName that player's name as listed
 * @param instrument the instrument that player's channel plays it with
 * @param key MIDI key
 * @param velocity 1 to 127 for a note-on, 0 for a note-off
 * @param on whether the key went down
 * @param cause why a note-off happened ({@link Cause#PLAYED} for every note-on)
 */
public record HeardNote(
        long atMillis,
        String playerId,
        String playerName,
        Instrument instrument,
        int key,
        int velocity,
        boolean on,
        Cause cause) {
    /** Checks the fields. */
    public HeardNote {
        Objects.requireNonNull(playerId, "playerId");
        Objects.requireNonNull(playerName, "playerName");
        Objects.requireNonNull(instrument, "instrument");
        Objects.requireNonNull(cause, "cause");
    }

    /** Why a note was played or released. */
    public enum Cause {
        /** The player played it (a key went down or came up). */
        PLAYED,
        /** The player left or vanished, and the notes they held were released here. */
        PLAYER_LEFT,
        /** This player left the room and silenced what it still heard. */
        LEAVING
    }
}
