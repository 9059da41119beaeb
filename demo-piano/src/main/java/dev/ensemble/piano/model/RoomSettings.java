package dev.ensemble.piano.model;

import java.util.Optional;

/**
 * The settings the room shares: the metronome. Later stored in the room's collaboration
 * document, so every player sees the same values.
 *
 * <pre>{@code
 * RoomSettings on = RoomSettings.DEFAULT.withMetronome(true, "alice").withTempo(120);
 * }</pre>
 *
 * @param metronomeOn whether the metronome clicks
 * @param tempoBpm beats per minute, {@value #MIN_TEMPO} to {@value #MAX_TEMPO}
 * @param beatsPerBar {@value #MIN_BEATS_PER_BAR} to {@value #MAX_BEATS_PER_BAR}; the first is accented
 * @param metronomeLeader the id of the player whose clicks everyone hears, or null if none
 */
public record RoomSettings(boolean metronomeOn, int tempoBpm, int beatsPerBar, String metronomeLeader) {
    /** The slowest tempo. */
    public static final int MIN_TEMPO = 40;
    /** The fastest tempo. */
    public static final int MAX_TEMPO = 240;
    /** The shortest bar. */
    public static final int MIN_BEATS_PER_BAR = 1;
    /** The longest bar. */
    public static final int MAX_BEATS_PER_BAR = 16;
    /** Metronome off, 100 BPM, four beats per bar. */
    public static final RoomSettings DEFAULT = new RoomSettings(false, 100, 4, null);

    /**
     * @throws IllegalArgumentException if the tempo or bar length is out of range, or the
     *     metronome is on without a leader
     */
    public RoomSettings {
        if (tempoBpm < MIN_TEMPO || tempoBpm > MAX_TEMPO) {
            throw new IllegalArgumentException(
                    "tempo must be " + MIN_TEMPO + " to " + MAX_TEMPO + " BPM, but was " + tempoBpm);
        }
        if (beatsPerBar < MIN_BEATS_PER_BAR || beatsPerBar > MAX_BEATS_PER_BAR) {
            throw new IllegalArgumentException("beats per bar must be " + MIN_BEATS_PER_BAR + " to " + MAX_BEATS_PER_BAR
                    + ", but was " + beatsPerBar);
        }
        if (metronomeOn && metronomeLeader == null) {
            throw new IllegalArgumentException(
                    "a running metronome needs a leader (the player whose clicks" + " everyone hears)");
        }
    }

    /**
     * @param on whether it clicks
     * @param leader who leads it (ignored when turning it off)
     * @return a copy
     */
    public RoomSettings withMetronome(boolean on, String leader) {
        return new RoomSettings(on, tempoBpm, beatsPerBar, on ? leader : metronomeLeader);
    }

    /**
     * @param bpm {@value #MIN_TEMPO} to {@value #MAX_TEMPO}
     * @return a copy
     */
    public RoomSettings withTempo(int bpm) {
        return new RoomSettings(metronomeOn, bpm, beatsPerBar, metronomeLeader);
    }

    /**
     * @param beats {@value #MIN_BEATS_PER_BAR} to {@value #MAX_BEATS_PER_BAR}
     * @return a copy
     */
    public RoomSettings withBeatsPerBar(int beats) {
        return new RoomSettings(metronomeOn, tempoBpm, beats, metronomeLeader);
    }

    /** @return the leader while the metronome runs */
    public Optional<String> runningLeader() {
        return metronomeOn ? Optional.of(metronomeLeader) : Optional.empty();
    }

    /** @return the time between two beats, in nanoseconds */
    public long beatIntervalNanos() {
        return 60_000_000_000L / tempoBpm;
    }
}
