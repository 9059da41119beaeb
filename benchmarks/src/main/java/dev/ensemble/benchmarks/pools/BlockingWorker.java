package dev.ensemble.benchmarks.pools;

import dev.ensemble.core.Actor;

/** An ensemble-core worker that blocks for each request, as one waiting on I/O would. */
final class BlockingWorker extends Actor<Integer> implements JobActions {
    private final long blockNanos;

    BlockingWorker(long blockNanos) {
        super(0);
        this.blockNanos = blockNanos;
    }

    @Override
    public void handle(Requests requests, int index) {
        requests.handle(index, blockNanos);
    }
}
