package dev.ensemble.benchmarks.remote;

import java.util.concurrent.CompletableFuture;

/**
 * The counter on the other node as the workload sees it, whichever runtime reaches it. Called from
 * the one harness thread; {@link #close()} ends the calling side and its far node.
 */
interface CounterTarget extends AutoCloseable {
    /** A tell of {@code add(by)}; returns once it is handed to the runtime. */
    void add(int by);

    /** An ask of the count. */
    CompletableFuture<Integer> total();

    /** Tells the runtime refused because its outgoing queue was full (each retried). */
    default long refusedTells() {
        return 0;
    }

    @Override
    void close() throws Exception;
}
