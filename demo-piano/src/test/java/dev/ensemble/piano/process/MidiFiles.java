package dev.ensemble.piano.process;

import java.nio.file.Path;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;

/** Writes the small MIDI files that test bots play. */
public final class MidiFiles {
    private MidiFiles() {}

    /**
     * Writes a one-track file at 120 BPM (500 ticks a beat: one tick a millisecond).
     *
     * @param file the file to write
     * @param leadInMs silence before the first note
     * @param notes {start ms after the lead-in, length ms, key}, velocity 100
     * @return the file
     */
    public static Path write(Path file, int leadInMs, int[][] notes) throws Exception {
        Sequence sequence = new Sequence(Sequence.PPQ, 500);
        Track track = sequence.createTrack();
        for (int[] note : notes) {
            long on = leadInMs + note[0];
            track.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_ON, 0, note[2], 100), on));
            track.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_OFF, 0, note[2], 0), on + note[1]));
        }
        MidiSystem.write(sequence, 1, file.toFile());
        return file;
    }
}
