package dev.ensemble.core.supervision;

import dev.ensemble.core.Cancellable;
import java.time.Duration;

/**
 * The time that drives pools' resizers: what they measure with and what ticks them. The system
 * uses its own timer unless {@link dev.ensemble.core.ActorSystem.Builder#poolClock} gives
 * another: tests give a manual clock, so that a resize happens exactly when they advance it.
 *
 * <p>Threading: implementations are thread-safe; ticks may run on any thread, one at a time per
 * schedule.
 */
public interface PoolClock {
    /** @return the current time in nanoseconds, monotonic; only differences matter */
    long nanoTime();

    /**
     * @param period the interval between ticks
     * @param tick what to run every period
     * @return a handle that stops the ticks
     */
    Cancellable schedule(Duration period, Runnable tick);
}
