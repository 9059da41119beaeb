/**
 * The pools benchmark: ensemble-core's autoscaling pool against Apache Pekko's classic router pool
 * with its {@code DefaultResizer}, for blocking workers under bursts, and a message through a
 * supervisor's route against a direct tell. Run by {@link dev.ensemble.benchmarks.pools.PoolSuite}.
 */
package dev.ensemble.benchmarks.pools;
