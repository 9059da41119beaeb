package dev.ensemble.benchmarks.pools;

/** The action of ensemble-core's pool workers: handle one request of a burst. */
public interface JobActions {
    void handle(Requests requests, int index);
}
