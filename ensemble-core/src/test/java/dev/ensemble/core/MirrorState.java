package dev.ensemble.core;

/**
 * What {@link Mirror} has seen of its counter.
 *
 * @param seen the counter's count at its latest state change
 * @param down the actor named by the down signal, once the counter is down; null before
 */
record MirrorState(long seen, String down) {}
