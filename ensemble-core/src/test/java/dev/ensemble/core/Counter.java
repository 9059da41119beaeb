package dev.ensemble.core;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A test actor: a counter and a log of the values it was told to record. */
class Counter extends Actor<CounterState> implements CounterActions {
    static final ActorToken<CounterActions, CounterState> TOKEN =
            ActorToken.of("counter", CounterActions.class, CounterState.class);

    Counter() {
        super(new CounterState(0, List.of()));
    }

    @Override
    public void increment() {
        setState(new CounterState(state().count() + 1, state().log()));
    }

    @Override
    public void record(String entry) {
        setState(state().append(entry));
    }

    @Override
    public void setTwiceThenFail(long first, long second) {
        setState(new CounterState(first, state().log()));
        setState(new CounterState(second, state().log()));
        throw new IllegalArgumentException("refused after setting state");
    }

    @Override
    public void fail(String why) {
        throw new IllegalStateException(why);
    }

    @Override
    public void crash(String why) {
        throw crash(new IllegalStateException(why));
    }

    @Override
    public void noChange() {
        setState(state());
    }

    @Override
    public void sameValue() {
        setState(new CounterState(state().count(), List.copyOf(state().log())));
    }

    @Override
    public CompletableFuture<Long> get() {
        return reply(state().count());
    }

    @Override
    public CompletableFuture<Long> failingGet(String why) {
        throw new IllegalArgumentException(why);
    }

    @Override
    public CompletableFuture<Long> never() {
        return new CompletableFuture<>();
    }

    @Override
    public void block(java.util.concurrent.CountDownLatch release) throws InterruptedException {
        release.await();
    }
}
