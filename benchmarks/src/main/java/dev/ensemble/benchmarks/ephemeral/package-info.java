/** Ephemeral message benchmarks: throughput and latency against raw envelopes on the same transport. */
package dev.ensemble.benchmarks.ephemeral;
