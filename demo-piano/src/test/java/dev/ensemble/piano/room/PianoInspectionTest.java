package dev.ensemble.piano.room;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The names players' trees get under /players: one path segment a shell types without quotes. */
class PianoInspectionTest {
    @Test
    void aPlayersNameBecomesOneSegmentWithoutQuotes() {
        assertEquals("ada", PianoInspection.segment("Ada"));
        assertEquals("bot-2", PianoInspection.segment("Bot 2"));
        assertEquals("jean-luc", PianoInspection.segment("Jean/Luc"));
        assertEquals("ren", PianoInspection.segment("  Ren!  "));
        assertEquals("player", PianoInspection.segment("..."));
        assertEquals("player", PianoInspection.segment("★"));
        assertEquals("x.y_z", PianoInspection.segment("x.y_z"));
    }
}
