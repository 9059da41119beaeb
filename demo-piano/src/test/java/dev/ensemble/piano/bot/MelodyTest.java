package dev.ensemble.piano.bot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MelodyTest {
    @Test
    void theBuiltInMelodyIsThirtyNotesThatNeverOverlapOnOneKey() {
        Melody melody = Melody.builtIn();
        assertEquals(30, melody.notes().size());
        for (int i = 1; i < melody.notes().size(); i++) {
            MelodyNote previous = melody.notes().get(i - 1);
            assertTrue(previous.end().compareTo(melody.notes().get(i).start()) < 0, "note " + i + " overlaps");
        }
    }

    @Test
    void transposingDropsKeysThatLeaveTheMidiRange() {
        Melody melody = Melody.of(
                "edge",
                List.of(
                        new MelodyNote(Duration.ZERO, Duration.ofMillis(100), 120, 90),
                        new MelodyNote(Duration.ofMillis(100), Duration.ofMillis(100), 60, 90)));
        assertEquals(
                List.of(72),
                melody.transpose(12).notes().stream().map(MelodyNote::key).toList());
    }

    @Test
    void refusesAMelodyWithoutNotesOrShorterThanItsNotes() {
        IllegalArgumentException empty =
                assertThrows(IllegalArgumentException.class, () -> Melody.of("nothing", List.of()));
        assertEquals("melody \"nothing\" has no notes", empty.getMessage());
        IllegalArgumentException tooShort = assertThrows(
                IllegalArgumentException.class,
                () -> new Melody(
                        "short",
                        List.of(new MelodyNote(Duration.ZERO, Duration.ofMillis(300), 60, 90)),
                        Duration.ofMillis(100)));
        assertEquals("melody \"short\" lasts 100 ms but a note ends at 300 ms", tooShort.getMessage());
    }
}
