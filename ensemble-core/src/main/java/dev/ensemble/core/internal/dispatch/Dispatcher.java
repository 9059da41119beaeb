package dev.ensemble.core.internal.dispatch;

import java.time.Duration;

/**
 * INTERNAL API: runs actors' turns on threads. An actor is handed to its dispatcher only when it
 * has work and is not already scheduled ({@link Dispatchable#claim()}), so one actor never runs
 * on two threads at once.
 *
 * <p>Threading: thread-safe.
 */
public interface Dispatcher {
    /**
     * A message arrived for an idle actor.
     *
     * @param actor claimed by the caller
     * @throws java.util.concurrent.RejectedExecutionException if the dispatcher's threads are gone
     */
    void schedule(Dispatchable actor);

    /**
     * The actor used up its throughput and still has work: it goes behind the others (a
     * dispatcher may let it go on where nothing else waits).
     */
    void reschedule(Dispatchable actor);

    /** @return the most messages an actor handles before yielding its thread */
    int throughput();

    /** @return the name of its {@link dev.ensemble.core.dispatch.DispatcherSelector}, as inspectors list it */
    String name();

    /**
     * Stops the threads this dispatcher owns, waiting at most {@code timeout}.
     *
     * @param timeout how long running turns may take to finish
     */
    void shutdown(Duration timeout);
}
