package dev.ensemble.benchmarks.core;

import java.util.concurrent.CompletableFuture;

/**
 * The ask protocol of an Ensemble echo actor.
 *
 * <p>Thread-safe as every actions interface: calls become messages.
 */
public interface EchoActions {
    /**
     * @param value any value
     * @return a future completed with {@code value}
     */
    CompletableFuture<Integer> echo(int value);
}
