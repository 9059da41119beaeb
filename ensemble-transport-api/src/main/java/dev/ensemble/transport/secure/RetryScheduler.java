package dev.ensemble.transport.secure;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * INTERNAL API. Where a {@link SecureTransport} schedules its handshake retries: by default one
 * daemon thread shared by every transport ({@link #shared()}); a test passes a manual clock, so that
 * retry timing is tested in virtual time, without waiting.
 *
 * <p>Threading: {@link #schedule} is called with a peer's lock held and must not run the task on
 * the calling thread; the task runs later on the scheduler's thread.
 */
@FunctionalInterface
interface RetryScheduler {

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

    /** The one daemon thread shared by every transport: each retry is a key pair and a send. */
    static RetryScheduler shared() {
        return Shared.INSTANCE;
    }

    /** Holder of the shared thread, created on first use. */
    final class Shared implements RetryScheduler {
        static final Shared INSTANCE = new Shared();

        private final ScheduledThreadPoolExecutor executor;

        private Shared() {
            executor = new ScheduledThreadPoolExecutor(1, task -> {
                Thread thread = new Thread(task, "ensemble-session-retries");
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
