package dev.ensemble.benchmarks.repo;

/**
 * One phase of one workload against one server: the client's time (from its connect to the end of
 * the phase) and the bytes on the wire each way, WebSocket framing included.
 *
 * @param millis the time the client measured
 * @param bytesUp bytes the client sent
 * @param bytesDown bytes the server sent
 */
record PhaseResult(double millis, long bytesUp, long bytesDown) {}
