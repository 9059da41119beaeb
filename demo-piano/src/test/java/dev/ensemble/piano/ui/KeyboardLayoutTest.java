package dev.ensemble.piano.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class KeyboardLayoutTest {
    /** C3 to C6: 22 white keys of 40 pixels. */
    private final KeyboardLayout layout = new KeyboardLayout(48, 84, 880, 200);

    @Test
    void whiteKeysShareTheWidthAndBlackKeysSitBetweenThem() {
        assertEquals(new Rectangle(0, 0, 40, 200), layout.bounds(48));
        assertEquals(new Rectangle(40, 0, 40, 200), layout.bounds(50));
        Rectangle cSharp = layout.bounds(49);
        assertTrue(cSharp.x < 40 && cSharp.x + cSharp.width > 40 && cSharp.height < 200, cSharp.toString());
        assertEquals(new Rectangle(840, 0, 40, 200), layout.bounds(84));
    }

    @Test
    void aPointOnABlackKeyPlaysItAndBelowItPlaysTheWhiteKey() {
        assertEquals(OptionalInt.of(49), layout.keyAt(40, 50));
        assertEquals(OptionalInt.of(48), layout.keyAt(40 - 1, 190));
        assertEquals(OptionalInt.of(50), layout.keyAt(41, 190));
        assertEquals(OptionalInt.empty(), layout.keyAt(900, 50));
        assertEquals(OptionalInt.empty(), layout.keyAt(10, 250));
    }

    @Test
    void pressingLowerOnAKeyPlaysLouder() {
        assertEquals(KeyboardLayout.MIN_VELOCITY, layout.velocityAt(48, 0));
        assertEquals(KeyboardLayout.MAX_VELOCITY, layout.velocityAt(48, 200));
        assertTrue(layout.velocityAt(48, 100) > layout.velocityAt(48, 50));
    }

    @Test
    void refusesARangeThatIsNotAnOctaveBetweenWhiteKeys() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new KeyboardLayout(49, 84, 800, 200));
        assertEquals(
                "a keyboard must span at least an octave between two white keys within 0 to 127, but was 49" + " to 84",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new KeyboardLayout(60, 67, 800, 200));
    }
}
