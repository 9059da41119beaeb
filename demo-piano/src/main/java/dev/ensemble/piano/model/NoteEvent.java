package dev.ensemble.piano.model;

import java.util.Objects;

/**
 * A key pressed or released by a player.
 *
 * <pre>{@code
 * NoteEvent on = NoteEvent.on("alice", 60, 100);   // middle C, loud
 * NoteEvent off = NoteEvent.off("alice", 60);
 * }</pre>
 *
 * @param playerId who played it
 * @param key the MIDI key number, 0 to 127 (60 is middle C)
 * @param velocity how hard, 1 to 127 for a note on; 0 for a note off
 * @param on true when the key goes down, false when it comes up
 * @param sentAtMillis when the sender created it (sender's clock, milliseconds since the epoch)
 */
public record NoteEvent(String playerId, int key, int velocity, boolean on, long sentAtMillis) implements PianoMessage {
    /**
     * @throws IllegalArgumentException if the key or velocity is out of the MIDI range
     */
    public NoteEvent {
        Objects.requireNonNull(playerId, "playerId");
        requireKey(key);
        if (on && (velocity < 1 || velocity > 127)) {
            throw new IllegalArgumentException(
                    "a note-on velocity must be 1 to 127, but was " + velocity + " (use a note-off to release a key)");
        }
        if (!on && velocity != 0) {
            throw new IllegalArgumentException("a note-off velocity must be 0, but was " + velocity);
        }
    }

    /**
     * @param playerId who plays
     * @param key MIDI key, 0 to 127
     * @param velocity 1 to 127
     * @return a note-on stamped now
     */
    public static NoteEvent on(String playerId, int key, int velocity) {
        return new NoteEvent(playerId, key, velocity, true, System.currentTimeMillis());
    }

    /**
     * @param playerId who releases
     * @param key MIDI key, 0 to 127
     * @return a note-off stamped now
     */
    public static NoteEvent off(String playerId, int key) {
        return new NoteEvent(playerId, key, 0, false, System.currentTimeMillis());
    }

    /**
     * Checks a MIDI key number.
     *
     * @param key the key
     * @return the key
     * @throws IllegalArgumentException if it is outside 0 to 127
     */
    public static int requireKey(int key) {
        if (key < 0 || key > 127) {
            throw new IllegalArgumentException("a MIDI key must be 0 to 127, but was " + key);
        }
        return key;
    }
}
