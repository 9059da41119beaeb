package dev.ensemble.core.internal.inspect;

import java.util.ArrayList;
import java.util.List;

/**
 * INTERNAL API: the last messages of a system, recorded only while switched on (a
 * {@link Recorder} of every path while on; nothing recorded and nothing installed while off).
 * What it holds stays readable after it is switched off. Thread-safe: records come from actors'
 * threads, reads from sessions, under this object's lock (held for an array store).
 */
public final class HistoryRing implements Recorder {
    /** How many messages it keeps. */
    public static final int DEFAULT_CAPACITY = 1000;

    private final TraceEvent[] ring;
    private int next;
    private int size;
    private volatile boolean on;

    HistoryRing(int capacity) {
        this.ring = new TraceEvent[capacity];
    }

    @Override
    public String prefix() {
        return "/";
    }

    @Override
    public synchronized void record(TraceEvent event) {
        ring[next] = event;
        next = (next + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
    }

    /** @return whether it records */
    boolean on() {
        return on;
    }

    void on(boolean recording) {
        this.on = recording;
    }

    int capacity() {
        return ring.length;
    }

    /**
     * @param path only messages entering actors at or under it
     * @param n at most this many, the newest
     * @return oldest first
     */
    synchronized List<TraceEvent> last(String path, int n) {
        List<TraceEvent> newestFirst = new ArrayList<>();
        for (int i = 1; i <= size && newestFirst.size() < n; i++) {
            TraceEvent event = ring[Math.floorMod(next - i, ring.length)];
            if (InspectModel.under(event.receiver(), path)) {
                newestFirst.add(event);
            }
        }
        List<TraceEvent> oldestFirst = new ArrayList<>(newestFirst.size());
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            oldestFirst.add(newestFirst.get(i));
        }
        return oldestFirst;
    }
}
