package dev.ensemble.transport.membership;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * INTERNAL API. Where a {@link MembershipTransport} schedules the moment a member's invite (or its own)
 * expires, so that an idle member is cut off at expiry rather than at its next traffic: by default one
 * daemon thread shared by every stage ({@link #shared()}); a test passes one on virtual time.
 *
 * <p>Threading: {@link #schedule} may be called from any thread and never runs the task on the calling
 * thread; the task runs later on the timer's thread and hands its work to the stage's serial executor.
 */
@FunctionalInterface
interface ExpiryTimer {

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

    /** The one daemon thread shared by every stage: each task is a look at one admission. */
    static ExpiryTimer shared() {
        return Shared.INSTANCE;
    }

    /** Holder of the shared thread, created on first use. */
    final class Shared implements ExpiryTimer {
        static final Shared INSTANCE = new Shared();

        private final ScheduledThreadPoolExecutor executor;

        private Shared() {
            executor = new ScheduledThreadPoolExecutor(1, task -> {
                Thread thread = new Thread(task, "ensemble-membership-expiry");
                thread.setDaemon(true);
                return thread;
            });
            executor.setRemoveOnCancelPolicy(true);
        }

        @Override
        public Cancellable schedule(Runnable task, Duration delay) {
            ScheduledFuture<?> future = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        }
    }
}
