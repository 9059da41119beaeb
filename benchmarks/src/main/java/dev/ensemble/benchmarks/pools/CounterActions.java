package dev.ensemble.benchmarks.pools;

import dev.ensemble.core.bus.BusReceiver;
import java.util.concurrent.CompletableFuture;

/** The receiving end of the bus benchmark: counts messages, directly or from the bus. */
public interface CounterActions extends BusReceiver {
    /** Starts a round: {@code done} completes when {@code messages} more have arrived. */
    CompletableFuture<Void> expect(int messages, CompletableFuture<Void> done);

    void count(int value);
}
