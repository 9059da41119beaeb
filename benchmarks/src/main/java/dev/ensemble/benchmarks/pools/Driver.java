package dev.ensemble.benchmarks.pools;

import dev.ensemble.core.Actor;

/** Sends to the counter: {@code publish("count", i)} routed by its supervisor, or a direct tell. */
final class Driver extends Actor<Integer> implements DriverActions {
    Driver() {
        super(0);
    }

    @Override
    public void drive(int messages, boolean viaBus) {
        if (viaBus) {
            for (int i = 0; i < messages; i++) {
                publish("count", i);
            }
        } else {
            CounterActions counter = dependency(BusThroughput.COUNTER).actions();
            for (int i = 0; i < messages; i++) {
                counter.count(i);
            }
        }
    }
}
