package dev.ensemble.core;

import java.time.Duration;

/**
 * Runs actors' turns on threads. An actor is handed to its dispatcher only when it has work and
 * is not already scheduled, so one actor never runs on two threads at once.
 */
interface Dispatcher {
    /** A message arrived for an idle actor. */
    void schedule(ActorCell<?> cell);

    /**
     * The actor used up its throughput and still has work: it goes behind the others (a
     * dispatcher may let it go on where nothing else waits).
     */
    void reschedule(ActorCell<?> cell);

    /** The most messages an actor handles before yielding its thread. */
    int throughput();

    /** Stops the threads this dispatcher owns, waiting at most {@code timeout}. */
    void shutdown(Duration timeout);
}
