package dev.ensemble.piano.model;

import java.util.Objects;

/**
 * One metronome click sent by the player who leads the metronome; everyone plays it with the
 * same latency compensation as that player's notes, so clicks and notes line up.
 *
 * @param playerId the metronome's leader
 * @param beat the beat within the bar, 0-based (beat 0 is accented)
 * @param beatsPerBar the bar's length in beats
 * @param sentAtMillis when the leader created it (leader's clock, milliseconds since the epoch)
 */
public record BeatEvent(String playerId, int beat, int beatsPerBar, long sentAtMillis) implements PianoMessage {
    /**
     * @throws IllegalArgumentException if the beat is not within the bar
     */
    public BeatEvent {
        Objects.requireNonNull(playerId, "playerId");
        if (beatsPerBar < RoomSettings.MIN_BEATS_PER_BAR || beatsPerBar > RoomSettings.MAX_BEATS_PER_BAR) {
            throw new IllegalArgumentException("beats per bar must be " + RoomSettings.MIN_BEATS_PER_BAR + " to "
                    + RoomSettings.MAX_BEATS_PER_BAR + ", but was " + beatsPerBar);
        }
        if (beat < 0 || beat >= beatsPerBar) {
            throw new IllegalArgumentException("beat must be 0 to " + (beatsPerBar - 1) + ", but was " + beat);
        }
    }

    /** @return true for the first beat of a bar */
    public boolean accented() {
        return beat == 0;
    }
}
