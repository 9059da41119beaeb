package dev.ensemble.benchmarks.core;

/**
 * How much work each benchmark of {@link CoreSuite} does: the full settings behind the published
 * numbers, or quick ones that check the harness in about two minutes.
 *
 * @param warmupIterations JMH warm-up iterations of one second per ping-pong benchmark
 * @param measurementIterations JMH measured iterations of one second per ping-pong benchmark
 * @param warmupAsks asks per runtime before the latency is recorded
 * @param measuredAsks recorded asks per runtime
 * @param askBlocks how many alternating blocks the asks are split into
 * @param spawnActors actors per spawn-rate run
 * @param spawnRuns measured spawn-rate runs (after one warm-up run)
 * @param idleActors idle actors for the heap measurement
 */
record SuiteSettings(int warmupIterations, int measurementIterations, int warmupAsks, int measuredAsks,
                     int askBlocks, int spawnActors, int spawnRuns, int idleActors) {
    static final SuiteSettings FULL = new SuiteSettings(3, 5, 100_000, 300_000, 10, 100_000, 5, 1_000_000);
    static final SuiteSettings QUICK = new SuiteSettings(2, 3, 20_000, 60_000, 6, 20_000, 3, 100_000);
}
