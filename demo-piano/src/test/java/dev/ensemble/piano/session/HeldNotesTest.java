package dev.ensemble.piano.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeldNotesTest {
    @Test
    void releaseAllReturnsEveryKeyAPlayerHoldsAndLeavesOthersAlone() {
        HeldNotes held = new HeldNotes();
        held.press("bob", 64);
        held.press("bob", 60);
        held.press("carol", 67);

        assertEquals(List.of(60, 64), held.releaseAll("bob"));
        assertEquals(List.of(), held.heldBy("bob"));
        assertEquals(List.of(67), held.heldBy("carol"));
        assertEquals(List.of(), held.releaseAll("bob"), "releasing twice releases nothing more");
        held.releaseAll("carol");
        assertTrue(held.isEmpty());
    }

    @Test
    void aKeyHeldByTwoPlayersLightsForTheLatestAndStaysLitUntilBothRelease() {
        HeldNotes held = new HeldNotes();
        held.press("bob", 60);
        held.press("carol", 60);
        assertEquals(Map.of(60, "carol"), held.holders());

        assertTrue(held.release("carol", 60));
        assertEquals(Map.of(60, "bob"), held.holders());
        held.releaseAll("bob");
        assertEquals(Map.of(), held.holders());
    }

    @Test
    void pressingAHeldKeyOrReleasingAFreeOneChangesNothing() {
        HeldNotes held = new HeldNotes();
        assertTrue(held.press("bob", 60));
        assertFalse(held.press("bob", 60));
        assertFalse(held.release("bob", 61));
        assertFalse(held.release("carol", 60));
        assertEquals(List.of(60), held.heldBy("bob"));
    }

    @Test
    void rejectsAKeyOutsideTheMidiRange() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new HeldNotes().press("bob", 128));
        assertEquals("a MIDI key must be 0 to 127, but was 128", e.getMessage());
    }
}
