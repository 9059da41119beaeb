package dev.ensemble.benchmarks.remote;

import dev.ensemble.core.Actor;
import dev.ensemble.core.ActorToken;
import java.util.concurrent.CompletableFuture;

/** The counter the remote suite serves on the far node: its state is the count. */
public final class BenchCounter extends Actor<Integer> implements BenchCounterActions {
    /** The same token on both nodes. */
    static final ActorToken<BenchCounterActions, Integer> TOKEN =
            ActorToken.of("counter", BenchCounterActions.class, Integer.class);

    BenchCounter() {
        super(0);
    }

    @Override
    public void add(int by) {
        setState(state() + by);
    }

    @Override
    public CompletableFuture<Integer> total() {
        return CompletableFuture.completedFuture(state());
    }
}
