package dev.ensemble.piano.bot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A named sequence of notes a bot can play.
 *
 * <pre>{@code
 * Melody tune = Melody.builtIn();
 * Melody higher = tune.transpose(12);
 * }</pre>
 *
 * @param name what it is called (a file name for a loaded file)
 * @param notes its notes, in order of start
 * @param length how long it lasts: at least until its last note ends
 */
public record Melody(String name, List<MelodyNote> notes, Duration length) {
    private static final Duration BEAT = Duration.ofMillis(400);
    private static final int[] ODE_TO_JOY = {
        64, 64, 65, 67, 67, 65, 64, 62, 60, 60, 62, 64, 64, 62, 62,
        64, 64, 65, 67, 67, 65, 64, 62, 60, 60, 62, 64, 62, 60, 60
    };

    /**
     * Sorts the notes by start and checks the length.
     *
     * @throws IllegalArgumentException if it has no notes or a note ends after the melody
     */
    public Melody {
        Objects.requireNonNull(name, "name");
        if (notes.isEmpty()) {
            throw new IllegalArgumentException("melody \"" + name + "\" has no notes");
        }
        List<MelodyNote> sorted = new ArrayList<>(notes);
        sorted.sort(Comparator.comparing(MelodyNote::start));
        notes = List.copyOf(sorted);
        Duration last = notes.stream()
                .map(MelodyNote::end)
                .max(Comparator.naturalOrder())
                .orElseThrow();
        if (length.compareTo(last) < 0) {
            throw new IllegalArgumentException("melody \"" + name + "\" lasts " + length.toMillis()
                    + " ms but a note ends at " + last.toMillis() + " ms");
        }
    }

    /**
     * @param name what it is called
     * @param notes the notes
     * @return a melody that ends when its last note ends
     */
    public static Melody of(String name, List<MelodyNote> notes) {
        Duration last = notes.stream()
                .map(MelodyNote::end)
                .max(Comparator.naturalOrder())
                .orElse(Duration.ZERO);
        return new Melody(name, notes, last);
    }

    /** @return the built-in melody: the first two phrases of the "Ode to Joy", 12 seconds */
    public static Melody builtIn() {
        List<MelodyNote> notes = new ArrayList<>();
        for (int i = 0; i < ODE_TO_JOY.length; i++) {
            boolean phraseEnd = i == 14 || i == ODE_TO_JOY.length - 1;
            Duration length = phraseEnd ? BEAT.multipliedBy(2).minusMillis(50) : BEAT.minusMillis(50);
            notes.add(new MelodyNote(
                    BEAT.multipliedBy(i + (i > 14 ? 1 : 0)), length, ODE_TO_JOY[i], i % 4 == 0 ? 100 : 80));
        }
        return new Melody("melody", notes, BEAT.multipliedBy(ODE_TO_JOY.length + 2));
    }

    /**
     * @param semitones how far up (negative: down); keys that would leave 0 to 127 are dropped
     * @return the melody moved
     */
    public Melody transpose(int semitones) {
        List<MelodyNote> moved = new ArrayList<>();
        for (MelodyNote note : notes) {
            int key = note.key() + semitones;
            if (key >= 0 && key <= 127) {
                moved.add(new MelodyNote(note.start(), note.length(), key, note.velocity()));
            }
        }
        return new Melody(name, moved.isEmpty() ? notes : moved, length);
    }
}
