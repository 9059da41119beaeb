package dev.ensemble.core.internal.cell;

import java.util.function.LongSupplier;

/**
 * INTERNAL API: how long an actor has spent in turns, for a pool's resizer. Counts the turn under
 * way too, so that a replica stuck in one long turn (blocking I/O) reads as busy.
 *
 * <p>Threading: written by the actor's turn thread only; read from any thread.
 */
public final class BusyClock {
    private final LongSupplier clock;
    /** Busy time of the turns that ended. */
    private volatile long finished;
    /** When the current turn began, or {@link Long#MIN_VALUE} between turns. */
    private volatile long turnStarted = Long.MIN_VALUE;

    /** @param clock nanoseconds; the pool's clock, so that a manual clock measures too */
    public BusyClock(LongSupplier clock) {
        this.clock = clock;
    }

    void turnStarted() {
        turnStarted = clock.getAsLong();
    }

    void turnEnded() {
        long began = turnStarted;
        turnStarted = Long.MIN_VALUE;
        if (began != Long.MIN_VALUE) {
            finished = finished + (clock.getAsLong() - began);
        }
    }

    /** @return nanoseconds spent in turns so far, including the one under way */
    public long busyNanos() {
        long began = turnStarted;
        long done = finished;
        return began == Long.MIN_VALUE ? done : done + Math.max(0, clock.getAsLong() - began);
    }
}
