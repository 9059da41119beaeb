package dev.ensemble.collab.sim;

import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * Seeds for a parameterized simulation test: a fixed range, or only the seed named by {@code
 * -Densemble.sim.seed=<seed>} so that a failing seed can be rerun alone.
 *
 * <pre>{@code
 * static Stream<Long> seeds() {
 *     return SimulationSeeds.rangeOrProperty(1, 10);
 * }
 * }</pre>
 */
public final class SimulationSeeds {
    private SimulationSeeds() {}

    /**
     * @param first the first seed of the range
     * @param last the last seed of the range, inclusive
     * @return the seed of the system property if it is set, otherwise {@code first..last}
     */
    public static Stream<Long> rangeOrProperty(long first, long last) {
        String fixed = System.getProperty(NetworkSimulator.SEED_PROPERTY);
        if (fixed != null) {
            return Stream.of(Long.parseLong(fixed));
        }
        return LongStream.rangeClosed(first, last).boxed();
    }
}
