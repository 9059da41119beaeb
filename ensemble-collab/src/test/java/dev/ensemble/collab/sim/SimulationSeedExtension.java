package dev.ensemble.collab.sim;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Gives a test a {@link SimulationSeed} parameter chosen by {@link
 * NetworkSimulator#chooseSeed()} (fixed by {@code -Densemble.sim.seed=...}, otherwise fresh),
 * and prints it when the test fails so that the failure can be replayed.
 */
final class SimulationSeedExtension implements ParameterResolver, TestWatcher {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(SimulationSeedExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SimulationSeed.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        "seed", key -> new SimulationSeed(NetworkSimulator.chooseSeed()), SimulationSeed.class);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        SimulationSeed seed = context.getStore(NAMESPACE).get("seed", SimulationSeed.class);
        if (seed != null) {
            System.err.println(context.getDisplayName() + " failed with simulation seed "
                    + seed.value() + "; re-run with -D" + NetworkSimulator.SEED_PROPERTY + "="
                    + seed.value());
        }
    }
}
