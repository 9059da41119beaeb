package dev.ensemble.benchmarks.core;

import dev.ensemble.core.Actor;

/** An Ensemble actor that starts and then waits: the unit of the spawn and heap benchmarks. */
final class EnsembleIdle extends Actor<Void> implements IdleActions {
    EnsembleIdle() {
        super(null);
    }

    @Override
    protected void onStart() {
        Started.one();
    }

    @Override
    public void poke() {}
}
