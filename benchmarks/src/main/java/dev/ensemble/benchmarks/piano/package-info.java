/**
 * The piano room's note latency over the signaling server's relay and over WebRTC data channels,
 * each against the same notes sent with bare transports, and the growth of its settings document
 * while notes are played. Entry point: {@link dev.ensemble.benchmarks.piano.PianoSuite}.
 */
package dev.ensemble.benchmarks.piano;
