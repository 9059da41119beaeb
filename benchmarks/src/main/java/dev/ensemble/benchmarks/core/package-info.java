/**
 * Benchmarks of ensemble-core side by side with Apache Pekko typed: ping-pong throughput, ask
 * latency, spawn rate and idle actor heap, run by {@link dev.ensemble.benchmarks.core.CoreSuite}.
 */
package dev.ensemble.benchmarks.core;
