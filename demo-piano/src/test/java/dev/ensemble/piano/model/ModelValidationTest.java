package dev.ensemble.piano.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ModelValidationTest {
    private static String error(Runnable make) {
        return assertThrows(IllegalArgumentException.class, make::run).getMessage();
    }

    @Test
    void notesNameTheValueOutOfRange() {
        assertEquals("a MIDI key must be 0 to 127, but was -1", error(() -> NoteEvent.on("a", -1, 90)));
        assertEquals(
                "a note-on velocity must be 1 to 127, but was 128 (use a note-off to release a key)",
                error(() -> NoteEvent.on("a", 60, 128)));
        assertEquals("a note-off velocity must be 0, but was 5", error(() -> new NoteEvent("a", 60, 5, false, 0)));
    }

    @Test
    void settingsKeepTheMetronomeWithinItsLimits() {
        assertEquals("tempo must be 40 to 240 BPM, but was 39", error(() -> RoomSettings.DEFAULT.withTempo(39)));
        assertEquals(
                "beats per bar must be 1 to 16, but was 17", error(() -> RoomSettings.DEFAULT.withBeatsPerBar(17)));
        assertEquals(
                "a running metronome needs a leader (the player whose clicks everyone hears)",
                error(() -> new RoomSettings(true, 100, 4, null)));
        assertEquals(600_000_000L, RoomSettings.DEFAULT.beatIntervalNanos());
        assertEquals("beat must be 0 to 3, but was 4", error(() -> new BeatEvent("a", 4, 4, 0)));
    }

    @Test
    void playersNeedAShortName() {
        assertEquals(
                "a player name must be 1 to 40 characters and not blank, but was \"  \"",
                error(() -> new Player("a", "  ", 0, Instrument.PIANO, TransportKind.LOCAL)));
    }

    @Test
    void instrumentsParseAsTypedOnTheCommandLine() {
        assertEquals(Instrument.ELECTRIC_PIANO, Instrument.parse("Electric-Piano"));
        assertEquals(16, Instrument.parse("organ").program());
        assertEquals(
                "unknown instrument \"tuba\" (expected one of: " + Instrument.names() + ")",
                error(() -> Instrument.parse("tuba")));
    }
}
