package dev.ensemble.piano.model;

/**
 * An ephemeral message one player sends to everyone in the room: it is played when it arrives
 * and never stored.
 *
 * <p>Thread-safe: every implementation is an immutable record.
 */
public sealed interface PianoMessage permits NoteEvent, PedalEvent, BeatEvent {
    /** @return the id of the player who sent it */
    String playerId();

    /**
     * @return when the sender created it, in milliseconds since the epoch of the sender's clock
     *     (for diagnostics only: peers' clocks are not synchronised)
     */
    long sentAtMillis();
}
