package dev.ensemble.piano.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.event.KeyEvent;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ComputerKeyboardTest {
    @Test
    void whiteKeysAToKPlayCToCAndBlackKeysWToOPlayTheSharps() {
        ComputerKeyboard keys = new ComputerKeyboard();
        int[] white = {
            KeyEvent.VK_A,
            KeyEvent.VK_S,
            KeyEvent.VK_D,
            KeyEvent.VK_F,
            KeyEvent.VK_G,
            KeyEvent.VK_H,
            KeyEvent.VK_J,
            KeyEvent.VK_K
        };
        int[] whiteNotes = {60, 62, 64, 65, 67, 69, 71, 72};
        for (int i = 0; i < white.length; i++) {
            assertEquals(OptionalInt.of(whiteNotes[i]), keys.noteFor(white[i]));
        }
        int[] black = {KeyEvent.VK_W, KeyEvent.VK_E, KeyEvent.VK_T, KeyEvent.VK_Y, KeyEvent.VK_U, KeyEvent.VK_O};
        int[] blackNotes = {61, 63, 66, 68, 70, 73};
        for (int i = 0; i < black.length; i++) {
            assertEquals(OptionalInt.of(blackNotes[i]), keys.noteFor(black[i]));
        }
        assertEquals(OptionalInt.empty(), keys.noteFor(KeyEvent.VK_Q));
    }

    @Test
    void zAndXShiftByOctavesWithinThreeEitherWay() {
        ComputerKeyboard keys = new ComputerKeyboard();
        keys.octaveUp();
        assertEquals(OptionalInt.of(72), keys.noteFor(KeyEvent.VK_A));
        for (int i = 0; i < 10; i++) {
            keys.octaveDown();
        }
        assertEquals(-3, keys.octaveShift());
        assertEquals(OptionalInt.of(24), keys.noteFor(KeyEvent.VK_A));
    }

    @Test
    void aKeyReleasedAfterAnOctaveChangeStopsTheNoteItStarted() {
        ComputerKeyboard keys = new ComputerKeyboard();
        assertEquals(OptionalInt.of(60), keys.press(KeyEvent.VK_A));
        keys.octaveUp();
        assertEquals(OptionalInt.of(60), keys.release(KeyEvent.VK_A));
        assertEquals(OptionalInt.of(72), keys.press(KeyEvent.VK_A));
    }

    @Test
    void ignoresAutoRepeatAndReleasesOfKeysNeverPressed() {
        ComputerKeyboard keys = new ComputerKeyboard();
        keys.press(KeyEvent.VK_S);
        assertEquals(OptionalInt.empty(), keys.press(KeyEvent.VK_S));
        assertEquals(OptionalInt.empty(), keys.release(KeyEvent.VK_D));
        keys.releaseAll();
        assertEquals(OptionalInt.empty(), keys.release(KeyEvent.VK_S));
    }
}
