package dev.ensemble.benchmarks.piano;

import dev.ensemble.piano.model.NoteEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The notes of one measurement: when each note-on was sent, and the latency of each arrival. A
 * player's notes are told apart by their (key, velocity) pair, so that no timestamp travels with
 * them. Thread-safe: the key clock writes the send times, the receivers' threads the arrivals.
 *
 * <pre>{@code
 * NoteLog log = new NoteLog(settings, playerIds);
 * NoteEvent on = log.press(0, index);            // just before sending it
 * log.arrived(on);                               // in a receiver
 * }</pre>
 */
final class NoteLog {
    private static final int LOWEST_KEY = 21;
    private static final int KEYS = 88;

    private final PianoSettings settings;
    private final List<String> players;
    private final Map<String, Integer> indexOf = new ConcurrentHashMap<>();
    private final AtomicLongArray sentAt;
    private final Histogram latency = new ConcurrentHistogram(3);
    private final AtomicLong receipts = new AtomicLong();

    /**
     * @param settings the notes per player
     * @param players the players' ids, in the order of the player numbers given to {@link #press}
     */
    NoteLog(PianoSettings settings, List<String> players) {
        this.settings = settings;
        this.players = List.copyOf(players);
        for (int p = 0; p < players.size(); p++) {
            indexOf.put(players.get(p), p);
        }
        this.sentAt = new AtomicLongArray(players.size() * settings.notesPerPlayer());
    }

    /**
     * Records the send time of a player's note and returns the note.
     *
     * @param player the player's number
     * @param index the note's number for this player, from 0
     * @return the note-on to send now
     */
    NoteEvent press(int player, int index) {
        NoteEvent on = NoteEvent.on(players.get(player), LOWEST_KEY + index % KEYS, 1 + index / KEYS);
        sentAt.set(player * settings.notesPerPlayer() + index, System.nanoTime());
        return on;
    }

    /**
     * Counts the arrival of a note-on and records its latency, unless it was a warm-up note.
     *
     * @param note a note-on sent through {@link #press}
     */
    void arrived(NoteEvent note) {
        int index = (note.velocity() - 1) * KEYS + (note.key() - LOWEST_KEY);
        long at = sentAt.get(indexOf.get(note.playerId()) * settings.notesPerPlayer() + index);
        if (index >= settings.warmUpNotes()) {
            latency.recordValue(System.nanoTime() - at);
        }
        receipts.incrementAndGet();
    }

    /** @return whether every note, warm-up included, reached each of the other players */
    boolean complete() {
        return receipts.get() >= (long) players.size() * settings.notesPerPlayer() * (players.size() - 1);
    }

    /** @return the latencies of the measured notes, in nanoseconds */
    Histogram latency() {
        return latency;
    }
}
