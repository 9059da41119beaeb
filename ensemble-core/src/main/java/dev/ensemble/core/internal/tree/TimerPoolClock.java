package dev.ensemble.core.internal.tree;

import dev.ensemble.core.Cancellable;
import dev.ensemble.core.supervision.PoolClock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * INTERNAL API: the pools' clock in production: {@link System#nanoTime()} and the system's timer
 * thread. A tick only takes a sample and queues the decision, so it never holds the timer up.
 *
 * <p>Threading: thread-safe.
 */
public final class TimerPoolClock implements PoolClock {
    private final ScheduledExecutorService timer;

    /** @param timer the system's timer */
    public TimerPoolClock(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Cancellable schedule(Duration period, Runnable tick) {
        long nanos = period.toNanos();
        ScheduledFuture<?> future = timer.scheduleAtFixedRate(tick, nanos, nanos, TimeUnit.NANOSECONDS);
        return new Cancellable() {
            @Override
            public boolean cancel() {
                return future.cancel(false);
            }

            @Override
            public boolean isCancelled() {
                return future.isCancelled();
            }
        };
    }
}
