/**
 * The piano room's note latency over the signaling server's relay, against the same notes sent
 * with bare transports, and the growth of its settings document while notes are played.
 */
package dev.ensemble.benchmarks.piano;
