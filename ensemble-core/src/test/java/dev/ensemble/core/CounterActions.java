package dev.ensemble.core;

import java.util.concurrent.CompletableFuture;

/** The test counter's actions. */
interface CounterActions {
    void increment();

    void record(String entry);

    void setTwiceThenFail(long first, long second);

    void fail(String why);

    void crash(String why);

    void noChange();

    void sameValue();

    CompletableFuture<Long> get();

    CompletableFuture<Long> failingGet(String why);

    CompletableFuture<Long> never();

    void block(java.util.concurrent.CountDownLatch release) throws InterruptedException;
}
