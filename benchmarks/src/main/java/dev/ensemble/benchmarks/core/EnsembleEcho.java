package dev.ensemble.benchmarks.core;

import dev.ensemble.core.Actor;
import java.util.concurrent.CompletableFuture;

/** Answers every ask with its argument. */
final class EnsembleEcho extends Actor<Void> implements EchoActions {
    EnsembleEcho() {
        super(null);
    }

    @Override
    public CompletableFuture<Integer> echo(int value) {
        return reply(value);
    }
}
