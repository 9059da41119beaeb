package dev.ensemble.shell;

/**
 * The test counter's state.
 *
 * @param n how many times it was incremented
 */
public record CounterState(int n) {}
