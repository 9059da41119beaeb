package dev.ensemble.benchmarks.core;

/**
 * The actions of an idle Ensemble actor, which is spawned and never called.
 *
 * <p>Thread-safe as every actions interface: calls become messages.
 */
public interface IdleActions {
    /** Does nothing. */
    void poke();
}
