package dev.ensemble.transport.membership;

import dev.ensemble.transport.TaskTimer;
import java.time.Duration;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An {@link TaskTimer} on virtual time that moves a {@link MutableClock} with it: nothing runs until the
 * test calls {@link #advance}, which moves the clock to each task's due time and runs it on the test's
 * thread, so that a timer and the room's idea of "now" agree as they would on a real machine.
 */
final class ManualTimer implements TaskTimer {

    private record Task(long dueNanos, long order, Runnable run, AtomicBoolean cancelled) {}

    private final MutableClock clock;
    private final PriorityQueue<Task> tasks =
            new PriorityQueue<>(Comparator.comparingLong(Task::dueNanos).thenComparingLong(Task::order));
    private long nowNanos;
    private long order;

    ManualTimer(MutableClock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized Cancellable schedule(Runnable task, Duration delay) {
        Task scheduled = new Task(nowNanos + delay.toNanos(), order++, task, new AtomicBoolean());
        tasks.add(scheduled);
        return () -> scheduled.cancelled().set(true);
    }

    /** Moves time forward by {@code by}, running the tasks that fall due in order of due time. */
    void advance(Duration by) {
        long target = nowNanos + by.toNanos();
        while (true) {
            Task next = tasks.peek();
            if (next == null || next.dueNanos() > target) {
                clock.advance(Duration.ofNanos(target - nowNanos));
                nowNanos = target;
                return;
            }
            tasks.poll();
            clock.advance(Duration.ofNanos(next.dueNanos() - nowNanos));
            nowNanos = next.dueNanos();
            if (!next.cancelled().get()) {
                next.run().run();
            }
        }
    }

    /** The tasks scheduled and not yet run or cancelled. */
    long pending() {
        return tasks.stream().filter(t -> !t.cancelled().get()).count();
    }
}
