package dev.ensemble.benchmarks.piano;

import java.time.Duration;
import java.util.List;

/**
 * How much the piano suite plays and over which paths. Thread-safe: immutable.
 *
 * <pre>{@code
 * PianoSettings settings = PianoSettings.full(List.of(NotePath.RELAY, NotePath.WEBRTC));
 * }</pre>
 *
 * @param warmUpNotes notes each player plays first, unmeasured, so that the JIT and the sockets settle
 * @param measuredNotesPerPlayer notes each player plays after the warm-up, measured
 * @param paths the paths to measure, in this order
 * @param patience how long to wait for the players to see each other (and, over WebRTC, for every
 *     channel to open) and for the last notes to arrive
 */
record PianoSettings(int warmUpNotes, int measuredNotesPerPlayer, List<NotePath> paths, Duration patience) {
    /** Players in the room. */
    static final int PLAYERS = 4;
    /** One key press (and release) per player per interval: 20 notes/s each. */
    static final Duration NOTE_INTERVAL = Duration.ofMillis(50);
    /** 88 keys times 127 velocities tell a player's notes apart. */
    static final int MAX_NOTES_PER_PLAYER = 88 * 127;

    PianoSettings {
        paths = List.copyOf(paths);
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("the piano suite needs at least one path (webrtc, relay)");
        }
        if (warmUpNotes < 0
                || measuredNotesPerPlayer < 1
                || warmUpNotes + measuredNotesPerPlayer > MAX_NOTES_PER_PLAYER) {
            throw new IllegalArgumentException("a player plays 0 or more warm-up notes and 1 or more measured notes, at"
                    + " most " + MAX_NOTES_PER_PLAYER + " in all, but got " + warmUpNotes + " and "
                    + measuredNotesPerPlayer);
        }
    }

    /** The run: 10,000 measured notes in the room (2,500 a player) after 100 warm-up notes each. */
    static PianoSettings full(List<NotePath> paths) {
        return new PianoSettings(100, 10_000 / PLAYERS, paths, Duration.ofSeconds(30));
    }

    /** 1,000 measured notes in the room. */
    static PianoSettings quick(List<NotePath> paths) {
        return new PianoSettings(100, 1_000 / PLAYERS, paths, Duration.ofSeconds(30));
    }

    /**
     * @param rounds how many rounds the measured notes are split into, at most the measured notes
     * @param index which round, from 0
     * @return the settings of one round: the same warm-up and its share of the measured notes (the
     *     first rounds take one more each when they do not divide evenly, so that the rounds together
     *     measure all)
     */
    PianoSettings round(int rounds, int index) {
        if (rounds < 1 || rounds > measuredNotesPerPlayer || index < 0 || index >= rounds) {
            throw new IllegalArgumentException(
                    "round " + index + " of " + rounds + " cannot split " + measuredNotesPerPlayer + " measured notes");
        }
        int share = measuredNotesPerPlayer / rounds + (index < measuredNotesPerPlayer % rounds ? 1 : 0);
        return new PianoSettings(warmUpNotes, share, paths, patience);
    }

    /** @return warm-up and measured notes of one player */
    int notesPerPlayer() {
        return warmUpNotes + measuredNotesPerPlayer;
    }

    /** @return measured notes of the whole room */
    int measuredNotes() {
        return PLAYERS * measuredNotesPerPlayer;
    }
}
