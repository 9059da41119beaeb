package dev.ensemble.core.inspect;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The test gauge's actions: tells and asks with parameters of several types. */
public interface GaugeActions {
    void set(int value);

    void label(String text, List<String> tags);

    CompletableFuture<Integer> read();

    CompletableFuture<Integer> add(int amount);

    void fail(String why);

    void crash(String why);

    void hold(java.util.concurrent.CountDownLatch release) throws InterruptedException;

    CompletableFuture<Integer> refuse(String why);

    CompletableFuture<Integer> never();

    /** Tells the gauge named {@code target} (a dependency) to set {@code value}: a message from a turn. */
    void forward(int value);
}
