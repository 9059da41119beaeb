package dev.ensemble.transport.secure;

import dev.ensemble.transport.TaskTimer;
import java.time.Duration;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link TaskTimer} on virtual time: nothing runs until the test calls {@link #advance},
 * which runs every task that falls due, in order of due time, on the test's thread.
 */
final class ManualScheduler implements TaskTimer {

    private record Task(long dueNanos, long order, Runnable run, AtomicBoolean cancelled) {}

    private final PriorityQueue<Task> tasks =
            new PriorityQueue<>(Comparator.comparingLong(Task::dueNanos).thenComparingLong(Task::order));
    private long nowNanos;
    private long order;

    @Override
    public synchronized Cancellable schedule(Runnable task, Duration delay) {
        Task scheduled = new Task(nowNanos + delay.toNanos(), order++, task, new AtomicBoolean());
        tasks.add(scheduled);
        return () -> scheduled.cancelled().set(true);
    }

    /** Moves the clock forward by {@code by}, running the tasks that fall due (and those they schedule). */
    void advance(Duration by) {
        long target;
        synchronized (this) {
            target = nowNanos + by.toNanos();
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null || next.dueNanos() > target) {
                    nowNanos = target;
                    return;
                }
                tasks.poll();
                nowNanos = next.dueNanos();
            }
            if (!next.cancelled().get()) {
                next.run().run();
            }
        }
    }

    /** The tasks scheduled and not yet run or cancelled. */
    synchronized long pending() {
        return tasks.stream().filter(t -> !t.cancelled().get()).count();
    }
}
