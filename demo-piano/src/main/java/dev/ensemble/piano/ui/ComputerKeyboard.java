package dev.ensemble.piano.ui;

import java.awt.event.KeyEvent;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Plays the piano with the computer keyboard: A S D F G H J K are the white keys from C to the
 * next C, W E T Y U O the black keys, Z and X move an octave down and up, the space bar is the
 * sustain pedal.
 *
 * <pre>
 *   W E   T Y U   O
 *  A S D F G H J K
 *  C D E F G A B C
 * </pre>
 *
 * <p>It remembers which note each held key started, so a key released after an octave change
 * still stops the right note, and it ignores the auto-repeat of a held key.
 *
 * <pre>{@code
 * ComputerKeyboard keys = new ComputerKeyboard();
 * keys.press(KeyEvent.VK_A);     // OptionalInt[60]
 * keys.octaveUp();
 * keys.release(KeyEvent.VK_A);   // OptionalInt[60]: the note it started
 * }</pre>
 *
 * <p><em>Not thread-safe</em>: used on the event dispatch thread.
 */
public final class ComputerKeyboard {
    /** The C the A key plays at octave shift 0: middle C. */
    public static final int BASE_KEY = 60;
    /** The furthest octave shift either way. */
    public static final int MAX_OCTAVE_SHIFT = 3;

    private static final Map<Integer, Integer> OFFSETS = Map.ofEntries(
            Map.entry(KeyEvent.VK_A, 0),
            Map.entry(KeyEvent.VK_W, 1),
            Map.entry(KeyEvent.VK_S, 2),
            Map.entry(KeyEvent.VK_E, 3),
            Map.entry(KeyEvent.VK_D, 4),
            Map.entry(KeyEvent.VK_F, 5),
            Map.entry(KeyEvent.VK_T, 6),
            Map.entry(KeyEvent.VK_G, 7),
            Map.entry(KeyEvent.VK_Y, 8),
            Map.entry(KeyEvent.VK_H, 9),
            Map.entry(KeyEvent.VK_U, 10),
            Map.entry(KeyEvent.VK_J, 11),
            Map.entry(KeyEvent.VK_K, 12),
            Map.entry(KeyEvent.VK_O, 13));

    private final Map<Integer, Integer> held = new HashMap<>();
    private int octaveShift;

    /**
     * @param keyCode a {@link KeyEvent} key code
     * @return whether it plays a note
     */
    public static boolean isNoteKey(int keyCode) {
        return OFFSETS.containsKey(keyCode);
    }

    /**
     * @param keyCode a {@link KeyEvent} key code
     * @return the note it would start now, if it is a note key
     */
    public OptionalInt noteFor(int keyCode) {
        Integer offset = OFFSETS.get(keyCode);
        return offset == null ? OptionalInt.empty() : OptionalInt.of(BASE_KEY + 12 * octaveShift + offset);
    }

    /**
     * A key went down.
     *
     * @param keyCode a {@link KeyEvent} key code
     * @return the note to start; empty if it is not a note key or is already held (auto-repeat)
     */
    public OptionalInt press(int keyCode) {
        OptionalInt note = noteFor(keyCode);
        if (note.isEmpty() || held.containsKey(keyCode)) {
            return OptionalInt.empty();
        }
        held.put(keyCode, note.getAsInt());
        return note;
    }

    /**
     * A key came up.
     *
     * @param keyCode a {@link KeyEvent} key code
     * @return the note it started, to stop; empty if it did not start one
     */
    public OptionalInt release(int keyCode) {
        Integer note = held.remove(keyCode);
        return note == null ? OptionalInt.empty() : OptionalInt.of(note);
    }

    /** Forgets every held key (the window lost focus; the piano releases the notes). */
    public void releaseAll() {
        held.clear();
    }

    /** @return the shift, -{@value #MAX_OCTAVE_SHIFT} to {@value #MAX_OCTAVE_SHIFT} */
    public int octaveShift() {
        return octaveShift;
    }

    /** Moves the keys an octave up (X), up to the limit. */
    public void octaveUp() {
        octaveShift = Math.min(MAX_OCTAVE_SHIFT, octaveShift + 1);
    }

    /** Moves the keys an octave down (Z), down to the limit. */
    public void octaveDown() {
        octaveShift = Math.max(-MAX_OCTAVE_SHIFT, octaveShift - 1);
    }
}
