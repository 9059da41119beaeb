package dev.ensemble.transport;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task once after a delay, and can call it off: what the secure sessions schedule their
 * handshake retries on and closed rooms the expiry of an invite. By default each of them shares
 * one daemon thread among all its transports ({@link #daemon}); a test passes one on virtual time,
 * so that timing is tested without waiting.
 *
 * <pre>{@code
 * TaskTimer timer = TaskTimer.daemon("ensemble-session-retries");
 * TaskTimer.Cancellable retry = timer.schedule(this::retry, Duration.ofSeconds(2));
 * // later, if the retry is no longer wanted:
 * retry.cancel();
 * }</pre>
 *
 * <p>Threading: {@link #schedule} may be called from any thread, also with a lock held, and never
 * runs the task on the calling thread; the task runs later on the timer's thread, which it must
 * not block (other transports' tasks wait behind it).
 */
@FunctionalInterface
public interface TaskTimer {

    /**
     * Runs {@code task} once after {@code delay}, unless cancelled first.
     *
     * @return what cancels it
     */
    Cancellable schedule(Runnable task, Duration delay);

    /** A scheduled task that can be called off. */
    @FunctionalInterface
    interface Cancellable {
        /** Calls the task off if it has not run; harmless if it has. */
        void cancel();
    }

    /**
     * A timer on one daemon thread of this name, started when the first task is scheduled (so a
     * timer kept in a static field costs nothing until it is used). Cancelled tasks are removed
     * at once, so a timer that mostly cancels holds no garbage.
     *
     * @param threadName the thread's name, as thread dumps should show it
     */
    static TaskTimer daemon(String threadName) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, threadName);
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return (task, delay) -> {
            ScheduledFuture<?> future = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        };
    }
}
