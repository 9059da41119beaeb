package dev.ensemble.piano.bot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;

/**
 * Loads a Standard MIDI File as a {@link Melody}: every note of every track except the
 * percussion channel, with the file's tempo changes applied.
 *
 * <pre>{@code
 * Melody song = MidiFileMelody.load(Path.of("song.mid"));
 * }</pre>
 *
 * <p>Thread-safe: stateless.
 */
public final class MidiFileMelody {
    /** Files larger than this are refused. */
    public static final long MAX_FILE_BYTES = 8L * 1024 * 1024;

    private static final int PERCUSSION_CHANNEL = 9;
    private static final int SET_TEMPO = 0x51;
    private static final long DEFAULT_TEMPO_MICROS_PER_QUARTER = 500_000;
    private static final Duration SHORTEST_NOTE = Duration.ofMillis(10);

    private MidiFileMelody() {}

    /**
     * @param file a {@code .mid} file
     * @return its notes as a melody named after the file
     * @throws MelodyLoadException if the file is missing, too large, not a MIDI file, or has no notes
     */
    public static Melody load(Path file) throws MelodyLoadException {
        Sequence sequence;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new MelodyLoadException(
                        "MIDI file " + file + " is " + size + " bytes; the limit is " + MAX_FILE_BYTES, null);
            }
            sequence = MidiSystem.getSequence(file.toFile());
        } catch (InvalidMidiDataException e) {
            throw new MelodyLoadException(
                    "cannot read " + file + ": not a valid Standard MIDI File (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new MelodyLoadException("cannot read MIDI file " + file + ": " + describe(e), e);
        } catch (RuntimeException e) {
            throw new MelodyLoadException("cannot read " + file + ": the MIDI data is corrupt (" + e + ")", e);
        }
        TickClock clock = new TickClock(sequence);
        List<MelodyNote> notes = new ArrayList<>();
        Map<Integer, long[]> open = new HashMap<>();
        for (Track track : sequence.getTracks()) {
            for (int i = 0; i < track.size(); i++) {
                MidiEvent event = track.get(i);
                if (!(event.getMessage() instanceof ShortMessage message)
                        || message.getChannel() == PERCUSSION_CHANNEL) {
                    continue;
                }
                int slot = message.getChannel() * 128 + message.getData1();
                boolean on = message.getCommand() == ShortMessage.NOTE_ON && message.getData2() > 0;
                boolean off = message.getCommand() == ShortMessage.NOTE_OFF
                        || (message.getCommand() == ShortMessage.NOTE_ON && message.getData2() == 0);
                if (on) {
                    close(open.remove(slot), event.getTick(), message.getData1(), clock, notes);
                    open.put(slot, new long[] {event.getTick(), message.getData2()});
                } else if (off) {
                    close(open.remove(slot), event.getTick(), message.getData1(), clock, notes);
                }
            }
            for (Map.Entry<Integer, long[]> left : open.entrySet()) {
                close(left.getValue(), track.ticks(), left.getKey() % 128, clock, notes);
            }
            open.clear();
        }
        if (notes.isEmpty()) {
            throw new MelodyLoadException("MIDI file " + file + " has no notes to play (percussion is skipped)", null);
        }
        return Melody.of(file.getFileName().toString(), notes);
    }

    private static void close(long[] started, long endTick, int key, TickClock clock, List<MelodyNote> notes) {
        if (started == null) {
            return;
        }
        Duration start = clock.at(started[0]);
        Duration length = clock.at(endTick).minus(start);
        if (length.compareTo(SHORTEST_NOTE) < 0) {
            length = SHORTEST_NOTE;
        }
        notes.add(new MelodyNote(start, length, key, (int) started[1]));
    }

    private static String describe(IOException e) {
        return e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.toString();
    }

    /** Converts ticks to time with the sequence's division and tempo map. */
    private static final class TickClock {
        private final Sequence sequence;
        private final TreeMap<Long, Long> tempoAt = new TreeMap<>();

        TickClock(Sequence sequence) {
            this.sequence = sequence;
            tempoAt.put(0L, DEFAULT_TEMPO_MICROS_PER_QUARTER);
            for (Track track : sequence.getTracks()) {
                for (int i = 0; i < track.size(); i++) {
                    MidiEvent event = track.get(i);
                    if (event.getMessage() instanceof MetaMessage meta
                            && meta.getType() == SET_TEMPO
                            && meta.getData().length == 3) {
                        byte[] d = meta.getData();
                        long micros = ((d[0] & 0xFFL) << 16) | ((d[1] & 0xFFL) << 8) | (d[2] & 0xFFL);
                        if (micros > 0) {
                            tempoAt.put(event.getTick(), micros);
                        }
                    }
                }
            }
        }

        Duration at(long tick) {
            int resolution = Math.max(1, sequence.getResolution());
            if (sequence.getDivisionType() != Sequence.PPQ) {
                double ticksPerSecond = sequence.getDivisionType() * resolution;
                return Duration.ofNanos((long) (tick / ticksPerSecond * 1e9));
            }
            double micros = 0;
            long previousTick = 0;
            long tempo = DEFAULT_TEMPO_MICROS_PER_QUARTER;
            for (Map.Entry<Long, Long> change : tempoAt.entrySet()) {
                if (change.getKey() >= tick) {
                    break;
                }
                micros += (double) (change.getKey() - previousTick) * tempo / resolution;
                previousTick = change.getKey();
                tempo = change.getValue();
            }
            micros += (double) (tick - previousTick) * tempo / resolution;
            return Duration.ofNanos((long) (micros * 1_000));
        }
    }
}
