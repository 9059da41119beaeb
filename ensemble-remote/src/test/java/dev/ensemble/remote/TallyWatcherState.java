package dev.ensemble.remote;

import dev.ensemble.core.Down;

/**
 * What {@link TallyWatcher} has seen of the counter it depends on.
 *
 * @param seen the counter's total at its latest state
 * @param down the counter's down signal, once it came; null before
 */
record TallyWatcherState(int seen, Down down) {}
