package dev.ensemble.core;

/**
 * A timer set by an actor. Timers are also cancelled when their actor stops or restarts.
 * Thread-safe.
 */
public interface Cancellable {
    /**
     * Cancels the timer: no run of it starts after this returns when called inside the owning
     * actor's turn (the usual case). Idempotent.
     *
     * @return true if this call cancelled it, false if it was already cancelled or, for a
     *     one-shot timer, had already run
     */
    boolean cancel();

    /** @return true once cancelled */
    boolean isCancelled();
}
