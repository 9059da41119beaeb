package dev.ensemble.benchmarks.pools;

import org.apache.pekko.actor.AbstractActor;

/** A Pekko classic routee that blocks for each request, as one waiting on I/O would. */
final class PekkoWorker extends AbstractActor {
    /** A request of a burst. */
    record Job(Requests requests, int index) {}

    private final long blockNanos;

    PekkoWorker(long blockNanos) {
        this.blockNanos = blockNanos;
    }

    @Override
    public Receive createReceive() {
        return receiveBuilder()
                .match(Job.class, job -> job.requests().handle(job.index(), blockNanos))
                .build();
    }
}
