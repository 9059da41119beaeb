package dev.ensemble.shell;

/** The test counter's one action. */
public interface CounterActions {
    /** Adds one. */
    void inc();
}
