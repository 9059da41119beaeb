package dev.ensemble.core.internal.cell;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler whose tasks run only when the test fires them: what a timer asked for (delay,
 * period) is recorded, and nothing happens on any other thread. Once shut down it refuses new
 * tasks, as a real executor does. Supports what {@link Timers} uses; the rest throws.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
    /** One scheduled task, as the code under test asked for it. */
    static final class Entry implements ScheduledFuture<Object> {
        final Runnable task;
        final long delayNanos;
        /** 0 for a one-shot task. */
        final long periodNanos;

        private volatile boolean cancelled;
        private boolean done;

        Entry(Runnable task, long delayNanos, long periodNanos) {
            this.task = task;
            this.delayNanos = delayNanos;
            this.periodNanos = periodNanos;
        }

        /** Runs the task as the timer thread would when it is due; a one-shot task runs once. */
        void fire() {
            if (cancelled || done) {
                throw new AssertionError("fired a task that was cancelled or has run");
            }
            task.run();
            done = periodNanos == 0;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean was = !cancelled && !done;
            cancelled = true;
            return was;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return cancelled || done;
        }

        @Override
        public Object get() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(delayNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(delayNanos, other.getDelay(TimeUnit.NANOSECONDS));
        }
    }

    final List<Entry> scheduled = new ArrayList<>();
    /** Once set, every new task is refused, as a shut-down executor refuses it. */
    private boolean shutdown;

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return add(new Entry(command, unit.toNanos(delay), 0));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return add(new Entry(command, unit.toNanos(initialDelay), unit.toNanos(period)));
    }

    private Entry add(Entry entry) {
        if (shutdown) {
            throw new RejectedExecutionException("the scheduler is shut down");
        }
        scheduled.add(entry);
        return entry;
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void execute(Runnable command) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }
}
