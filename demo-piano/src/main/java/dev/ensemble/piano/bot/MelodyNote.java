package dev.ensemble.piano.bot;

import dev.ensemble.piano.model.NoteEvent;
import java.time.Duration;

/**
 * One note of a melody.
 *
 * @param start from the start of the melody
 * @param length how long the key is held, positive
 * @param key MIDI key, 0 to 127
 * @param velocity 1 to 127
 */
public record MelodyNote(Duration start, Duration length, int key, int velocity) {
    /**
     * @throws IllegalArgumentException if a value is out of range
     */
    public MelodyNote {
        if (start.isNegative()) {
            throw new IllegalArgumentException("a note cannot start before its melody, but started at " + start);
        }
        if (length.isNegative() || length.isZero()) {
            throw new IllegalArgumentException("a note must last a positive time, but lasted " + length);
        }
        NoteEvent.requireKey(key);
        if (velocity < 1 || velocity > 127) {
            throw new IllegalArgumentException("a note's velocity must be 1 to 127, but was " + velocity);
        }
    }

    /** @return when the key comes up */
    public Duration end() {
        return start.plus(length);
    }
}
