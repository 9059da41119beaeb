package dev.ensemble.piano.model;

import java.util.Objects;

/**
 * The sustain pedal pressed or released by a player: while it is down, released keys keep
 * sounding.
 *
 * @param playerId who pressed it
 * @param down true when pressed
 * @param sentAtMillis when the sender created it (sender's clock, milliseconds since the epoch)
 */
public record PedalEvent(String playerId, boolean down, long sentAtMillis) implements PianoMessage {
    /** Checks the player id. */
    public PedalEvent {
        Objects.requireNonNull(playerId, "playerId");
    }

    /**
     * @param playerId who
     * @param down pressed or released
     * @return the event stamped now
     */
    public static PedalEvent of(String playerId, boolean down) {
        return new PedalEvent(playerId, down, System.currentTimeMillis());
    }
}
