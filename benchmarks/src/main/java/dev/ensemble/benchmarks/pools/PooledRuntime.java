package dev.ensemble.benchmarks.pools;

/** A pool of blocking workers in one runtime, as the benchmark drives it. */
interface PooledRuntime extends AutoCloseable {
    /** Routes request {@code index} of {@code requests} to one worker. */
    void send(Requests requests, int index);

    /** @return the workers the pool has now */
    int size() throws Exception;

    @Override
    void close();
}
