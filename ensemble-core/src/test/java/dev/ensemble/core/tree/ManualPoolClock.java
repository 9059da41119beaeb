package dev.ensemble.core.tree;

import dev.ensemble.core.Cancellable;
import dev.ensemble.core.supervision.PoolClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A pool clock that moves only when the test advances it; ticks run on the advancing thread. */
final class ManualPoolClock implements PoolClock {
    private long now;
    private final List<Schedule> schedules = new ArrayList<>();

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized Cancellable schedule(Duration period, Runnable tick) {
        Schedule schedule = new Schedule(period.toNanos(), tick, now + period.toNanos());
        schedules.add(schedule);
        return schedule;
    }

    /** Moves time forward, running every tick that falls due on the way, in time order. */
    void advance(Duration by) {
        long target;
        synchronized (this) {
            target = now + by.toNanos();
        }
        while (true) {
            Schedule next = null;
            synchronized (this) {
                for (Schedule schedule : schedules) {
                    if (!schedule.cancelled && schedule.due <= target && (next == null || schedule.due < next.due)) {
                        next = schedule;
                    }
                }
                if (next == null) {
                    now = target;
                    return;
                }
                now = next.due;
                next.due += next.period;
            }
            next.tick.run();
        }
    }

    private static final class Schedule implements Cancellable {
        final long period;
        final Runnable tick;
        long due;
        volatile boolean cancelled;

        Schedule(long period, Runnable tick, long due) {
            this.period = period;
            this.tick = tick;
            this.due = due;
        }

        @Override
        public boolean cancel() {
            boolean was = cancelled;
            cancelled = true;
            return !was;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }
    }
}
