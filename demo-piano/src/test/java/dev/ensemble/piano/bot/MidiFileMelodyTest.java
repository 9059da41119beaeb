package dev.ensemble.piano.bot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class MidiFileMelodyTest {
    @TempDir
    Path dir;

    /** Writes a real Standard MIDI File: 480 ticks per quarter, 120 BPM, then 60 BPM from tick 960. */
    /**
     * @param file where to write
     * @return the file
     * @throws Exception if it cannot be written
     */
    public static Path writeSong(Path file) throws Exception {
        Sequence sequence = new Sequence(Sequence.PPQ, 480);
        Track track = sequence.createTrack();
        track.add(new MidiEvent(tempo(500_000), 0));
        track.add(new MidiEvent(tempo(1_000_000), 960));
        note(track, 0, 60, 0, 480, 100); // 0.0 s - 0.5 s
        note(track, 0, 64, 480, 960, 80); // 0.5 s - 1.0 s
        note(track, 1, 67, 960, 1440, 70); // 1.0 s - 2.0 s (at 60 BPM)
        note(track, 9, 36, 0, 240, 127); // percussion: skipped
        MidiSystem.write(sequence, 1, file.toFile());
        return file;
    }

    private static MetaMessage tempo(int microsPerQuarter) throws Exception {
        byte[] data = {(byte) (microsPerQuarter >> 16), (byte) (microsPerQuarter >> 8), (byte) microsPerQuarter};
        return new MetaMessage(0x51, data, 3);
    }

    private static void note(Track track, int channel, int key, long on, long off, int velocity) throws Exception {
        track.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_ON, channel, key, velocity), on));
        track.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_OFF, channel, key, 0), off));
    }

    @Test
    void loadsNotesWithTheFilesTempoChangesAndSkipsPercussion() throws Exception {
        Melody melody = MidiFileMelody.load(writeSong(dir.resolve("song.mid")));

        assertEquals("song.mid", melody.name());
        assertEquals(
                List.of(
                        new MelodyNote(Duration.ZERO, Duration.ofMillis(500), 60, 100),
                        new MelodyNote(Duration.ofMillis(500), Duration.ofMillis(500), 64, 80),
                        new MelodyNote(Duration.ofMillis(1000), Duration.ofMillis(1000), 67, 70)),
                melody.notes());
        assertEquals(Duration.ofMillis(2000), melody.length());
    }

    @Test
    void refusesAFileThatIsNotMidiNamingIt() throws Exception {
        Path bad = Files.write(dir.resolve("bad.mid"), "this is not a MIDI file at all".getBytes());
        MelodyLoadException e = assertThrows(MelodyLoadException.class, () -> MidiFileMelody.load(bad));
        assertTrue(
                e.getMessage().startsWith("cannot read " + bad + ": not a valid Standard MIDI File"), e.getMessage());
    }

    @Test
    void refusesATruncatedMidiFileNamingIt() throws Exception {
        byte[] good = Files.readAllBytes(writeSong(dir.resolve("whole.mid")));
        Path cut = Files.write(dir.resolve("cut.mid"), java.util.Arrays.copyOf(good, 30));
        // The JDK's reader keeps what it could read of a cut track: here, nothing playable.
        MelodyLoadException e = assertThrows(MelodyLoadException.class, () -> MidiFileMelody.load(cut));
        assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
    }

    @Test
    void refusesAMissingFile() {
        Path missing = dir.resolve("missing.mid");
        MelodyLoadException e = assertThrows(MelodyLoadException.class, () -> MidiFileMelody.load(missing));
        assertEquals("cannot read MIDI file " + missing + ": no such file", e.getMessage());
    }

    @Test
    void refusesAFileWithoutNotes() throws Exception {
        Sequence empty = new Sequence(Sequence.PPQ, 480);
        empty.createTrack().add(new MidiEvent(tempo(500_000), 0));
        Path file = dir.resolve("empty.mid");
        MidiSystem.write(empty, 1, file.toFile());
        MelodyLoadException e = assertThrows(MelodyLoadException.class, () -> MidiFileMelody.load(file));
        assertEquals("MIDI file " + file + " has no notes to play (percussion is skipped)", e.getMessage());
    }
}
