package dev.ensemble.core.internal.inspect;

import dev.ensemble.core.internal.cell.ActorCell;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * INTERNAL API: messages handled per second by each actor, over the last 1 s and 10 s.
 *
 * <h2>Why it costs the actors nothing measurable</h2>
 * A cell counts the messages it handles in a plain {@code long} that only its turn writes (one
 * increment on a cache line the turn writes anyway; no atomic, no fence). This sampler reads each
 * counter (opaque, so without tearing) about once a second, on the system's timer thread, and only
 * while an inspection session is open: one remote read of a cache line per actor per second, which
 * against pingpong's millions of messages per second is far below the 2 % the benchmark allows.
 * Rates are then differences between the live count and the samples kept here: 12 per actor.
 *
 * <p>Threading: {@link #sample} runs on one thread at a time (the timer); {@link #rate} on session
 * threads; both synchronize on this object, briefly.
 */
public final class RateSampler {
    /** One second, the period of {@link #sample}. */
    public static final long PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final int SAMPLES = 12;
    /** A window younger than this gives no rate (0): a count over a few ms says little. */
    private static final long MIN_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final Map<ActorCell<?>, Ring> rings = new IdentityHashMap<>();

    /**
     * Takes one sample of every cell and forgets cells no longer listed.
     *
     * @param cells the live cells
     * @param now {@link System#nanoTime()}
     */
    public synchronized void sample(List<ActorCell<?>> cells, long now) {
        Map<ActorCell<?>, Ring> kept = new IdentityHashMap<>();
        for (ActorCell<?> cell : cells) {
            Ring ring = rings.get(cell);
            if (ring == null) {
                ring = new Ring();
            }
            ring.add(now, cell.handledCount());
            kept.put(cell, ring);
        }
        rings.clear();
        rings.putAll(kept);
    }

    /** Forgets every sample: no session is open. */
    public synchronized void clear() {
        rings.clear();
    }

    /**
     * @param cell an actor
     * @param windowNanos 1 s or 10 s
     * @param now {@link System#nanoTime()}
     * @return messages per second over about the last window (a shorter one while the sampler has
     *     not run that long), or 0 without samples
     */
    public synchronized double rate(ActorCell<?> cell, long windowNanos, long now) {
        Ring ring = rings.get(cell);
        if (ring == null) {
            return 0;
        }
        return ring.rate(cell.handledCount(), windowNanos, now);
    }

    /** The last samples of one cell, oldest overwritten first. */
    private static final class Ring {
        private final long[] times = new long[SAMPLES];
        private final long[] counts = new long[SAMPLES];
        private int size;
        private int next;

        void add(long time, long count) {
            times[next] = time;
            counts[next] = count;
            next = (next + 1) % SAMPLES;
            size = Math.min(size + 1, SAMPLES);
        }

        /** The newest sample at least a window old, else the oldest one. */
        double rate(long current, long windowNanos, long now) {
            int chosen = -1;
            for (int i = 1; i <= size; i++) {
                int index = Math.floorMod(next - i, SAMPLES);
                chosen = index;
                if (now - times[index] >= windowNanos) {
                    break;
                }
            }
            if (chosen < 0) {
                return 0;
            }
            long age = now - times[chosen];
            if (age < MIN_WINDOW_NANOS) {
                return 0;
            }
            return (current - counts[chosen]) * 1e9 / age;
        }
    }
}
