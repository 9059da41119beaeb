package dev.ensemble.core.internal.cell;

import dev.ensemble.core.Cancellable;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The timers of one actor. A timer waits on the system's timer thread, then fires by enqueueing
 * its task for the instance that set it, so the task runs in that instance's turn. When the
 * instance ends (the actor stops or restarts), {@link #cancelAll()} cancels every timer it set.
 *
 * <p>Made by the cell when the actor sets its first timer.
 *
 * <p>Threading: {@link #scheduleOnce}, {@link #scheduleAtFixedRate} and {@link #cancelAll} run in
 * the actor's turn, which owns the set of live timers; timers fire on the timer thread; a
 * timer's {@link Cancellable#cancel()} may be called from any thread, and forgets the timer at
 * once only when called in the turn (otherwise the set keeps it until the instance ends).
 */
final class Timers {
    private final ScheduledExecutorService executor;
    private final InstanceTasks actor;
    /** Turn-owned: the timers of the current instance that may still fire. */
    private final LinkedHashSet<Timer> live = new LinkedHashSet<>();

    Timers(ScheduledExecutorService executor, InstanceTasks actor) {
        this.executor = executor;
        this.actor = actor;
    }

    /** Runs {@code task} once in a turn of instance {@code generation}, after {@code delay}. */
    Cancellable scheduleOnce(int generation, Duration delay, Runnable task) {
        Objects.requireNonNull(task, "task");
        long delayNanos = nonNegative(delay, "delay");
        Timer timer = new Timer(false, generation, task);
        live.add(timer);
        try {
            timer.future = executor.schedule(timer::fire, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException timerStopped) {
            timer.neverFires();
        }
        return timer;
    }

    /**
     * Runs {@code task} in turns of instance {@code generation} after {@code initialDelay}, then
     * every {@code period}; ticks that come while one waits in the mailbox are skipped.
     */
    Cancellable scheduleAtFixedRate(int generation, Duration initialDelay, Duration period, Runnable task) {
        Objects.requireNonNull(task, "task");
        long initialNanos = nonNegative(initialDelay, "initialDelay");
        long periodNanos = nonNegative(period, "period");
        if (periodNanos == 0) {
            throw new IllegalArgumentException("period must be positive, but was " + period);
        }
        Timer timer = new Timer(true, generation, task);
        live.add(timer);
        try {
            timer.future = executor.scheduleAtFixedRate(timer::fire, initialNanos, periodNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException timerStopped) {
            timer.neverFires();
        }
        return timer;
    }

    /** The instance ended: none of its timers runs again. In the turn. */
    void cancelAll() {
        Timer[] ending = live.toArray(new Timer[0]);
        live.clear();
        for (Timer timer : ending) {
            timer.cancel();
        }
    }

    /** @return how many timers of the current instance may still fire; in the turn */
    int liveCount() {
        return live.size();
    }

    private static long nonNegative(Duration duration, String what) {
        Objects.requireNonNull(duration, what);
        if (duration.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, but was " + duration);
        }
        return duration.toNanos();
    }

    /** One timer; fires by enqueueing its task into the actor's mailbox. */
    private final class Timer implements Cancellable {
        private final boolean periodic;
        private final int generation;
        private final Runnable task;
        /** Coalesces periodic ticks: at most one waits in the mailbox. */
        private final AtomicBoolean tickWaiting = new AtomicBoolean();

        volatile ScheduledFuture<?> future;
        private volatile boolean cancelled;
        private volatile boolean ran;

        Timer(boolean periodic, int generation, Runnable task) {
            this.periodic = periodic;
            this.generation = generation;
            this.task = task;
        }

        /**
         * The system's timer refused the timer: the system is stopping, and the timer can never
         * fire. It is cancelled, rather than the executor's exception thrown into the turn.
         */
        void neverFires() {
            cancel();
        }

        /** On the timer thread. */
        void fire() {
            if (cancelled || !tickWaiting.compareAndSet(false, true)) {
                return;
            }
            actor.enqueueTask(periodic ? "periodic timer" : "timer", generation, this::runInTurn);
        }

        private void runInTurn() {
            tickWaiting.set(false);
            if (!cancelled) {
                if (!periodic) {
                    ran = true;
                    live.remove(this);
                }
                task.run();
            }
        }

        @Override
        public boolean cancel() {
            if (cancelled || ran) {
                return false;
            }
            cancelled = true;
            ScheduledFuture<?> f = future;
            if (f != null) {
                f.cancel(false);
            }
            if (actor.inTurn()) {
                live.remove(this);
            }
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }
    }
}
