package dev.ensemble.benchmarks.pools;

import dev.ensemble.core.Actor;
import dev.ensemble.core.bus.BusMessage;
import java.util.concurrent.CompletableFuture;

/** Counts what it receives; its fields are confined to its turns. */
final class Counter extends Actor<Integer> implements CounterActions {
    private int remaining;
    private CompletableFuture<Void> done;

    Counter() {
        super(0);
    }

    @Override
    public CompletableFuture<Void> expect(int messages, CompletableFuture<Void> roundDone) {
        remaining = messages;
        done = roundDone;
        return reply(null);
    }

    @Override
    public void count(int value) {
        if (--remaining == 0) {
            done.complete(null);
        }
    }

    @Override
    public void receive(BusMessage message) {
        count((Integer) message.data());
    }
}
