package dev.ensemble.benchmarks.core;

/**
 * How much work each benchmark of {@link CoreSuite} does: the full settings behind the published
 * numbers, or quick ones that check the harness in about two minutes.
 *
 * @param warmupRounds ping-pong rounds per runtime before measuring
 * @param measuredRounds measured ping-pong rounds per runtime
 * @param pingPongRounds how many times each JMH ping-pong benchmark runs, taking turns with the others
 * @param warmupIterations JMH warm-up iterations of one second per ping-pong benchmark
 * @param measurementIterations JMH measured iterations of one second per ping-pong benchmark
 * @param warmupAsks asks per runtime before the latency is recorded
 * @param measuredAsks recorded asks per runtime
 * @param askBlocks how many alternating blocks the asks are split into
 * @param spawnActors actors per spawn-rate run
 * @param spawnRuns measured spawn-rate runs (after one warm-up run)
 * @param idleActors idle actors for the heap measurement
 * @param inspectForks JVMs of the inspection on/off race ({@link InspectRace}), alternating which
 *     system each makes first
 */
record SuiteSettings(
        int warmupRounds,
        int measuredRounds,
        int pingPongRounds,
        int warmupIterations,
        int measurementIterations,
        int warmupAsks,
        int measuredAsks,
        int askBlocks,
        int spawnActors,
        int spawnRuns,
        int idleActors,
        int inspectForks) {
    /*
     * 200,000 idle actors rather than a million: ensemble-core's spawn slows down with every actor
     * already spawned (see docs/BENCHMARKS.md), and a million would take many minutes.
     */
    static final SuiteSettings FULL = new SuiteSettings(40, 80, 2, 6, 5, 100_000, 300_000, 10, 50_000, 5, 200_000, 6);
    static final SuiteSettings QUICK = new SuiteSettings(15, 25, 1, 2, 3, 20_000, 60_000, 6, 20_000, 3, 50_000, 2);

    /**
     * @param actors idle actors for the heap measurement, at least 1
     * @return a copy
     */
    SuiteSettings withIdleActors(int actors) {
        if (actors < 1) {
            throw new IllegalArgumentException("--idle-actors must be at least 1, but was " + actors);
        }
        return new SuiteSettings(
                warmupRounds,
                measuredRounds,
                pingPongRounds,
                warmupIterations,
                measurementIterations,
                warmupAsks,
                measuredAsks,
                askBlocks,
                spawnActors,
                spawnRuns,
                actors,
                inspectForks);
    }
}
