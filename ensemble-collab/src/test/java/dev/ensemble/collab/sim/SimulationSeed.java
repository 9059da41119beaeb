package dev.ensemble.collab.sim;

/** The seed of a test's simulation, injected by {@link SimulationSeedExtension}. */
record SimulationSeed(long value) {}
