/**
 * Latency measurement and compensation, as pure values and classes with no threads and no
 * network, fed with the latencies a room measures: {@link
 * dev.ensemble.piano.latency.LatencyTracker} keeps a rolling average per peer, {@link
 * dev.ensemble.piano.latency.LatencyCompensation} turns the averages into playback delays, and
 * {@link dev.ensemble.piano.latency.PlaybackClock} keeps each player's playback in order.
 */
package dev.ensemble.piano.latency;
