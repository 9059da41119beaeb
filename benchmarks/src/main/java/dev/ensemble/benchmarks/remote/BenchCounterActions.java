package dev.ensemble.benchmarks.remote;

import java.util.concurrent.CompletableFuture;

/**
 * The actions of the counter the remote suite calls on another node; public so that the client's
 * proxy reaches it.
 */
public interface BenchCounterActions {
    /** A tell: adds {@code by} to the count. */
    void add(int by);

    /** An ask: the count so far. */
    CompletableFuture<Integer> total();
}
