package dev.ensemble.collab.sync;

import dev.ensemble.core.Cancellable;
import java.time.Duration;
import java.util.PriorityQueue;

/**
 * A clock and one-shot timers that move only when a test says so: {@link #advance} runs every
 * timer that falls due, in order of due time (then of scheduling), on the test's thread.
 */
final class VirtualTime {
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private long nowNanos;
    private long nextSequence;

    Duration now() {
        return Duration.ofNanos(nowNanos);
    }

    /** Never runs the task during this call. */
    Cancellable schedule(Duration delay, Runnable task) {
        Timer timer = new Timer(nowNanos + delay.toNanos(), nextSequence++, task);
        timers.add(timer);
        return timer;
    }

    /** Moves the clock forward, running each timer that falls due on the way. */
    void advance(Duration duration) {
        long end = nowNanos + duration.toNanos();
        while (!timers.isEmpty() && timers.peek().dueNanos <= end) {
            Timer timer = timers.poll();
            nowNanos = Math.max(nowNanos, timer.dueNanos);
            if (!timer.cancelled) {
                timer.ran = true;
                timer.task.run();
            }
        }
        nowNanos = end;
    }

    /** @return timers still due to run */
    long pending() {
        return timers.stream().filter(timer -> !timer.cancelled).count();
    }

    private static final class Timer implements Cancellable, Comparable<Timer> {
        final long dueNanos;
        final long sequence;
        final Runnable task;
        boolean cancelled;
        boolean ran;

        Timer(long dueNanos, long sequence, Runnable task) {
            this.dueNanos = dueNanos;
            this.sequence = sequence;
            this.task = task;
        }

        @Override
        public boolean cancel() {
            if (cancelled || ran) {
                return false;
            }
            cancelled = true;
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public int compareTo(Timer other) {
            int byTime = Long.compare(dueNanos, other.dueNanos);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }
}
