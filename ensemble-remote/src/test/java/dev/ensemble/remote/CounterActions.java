package dev.ensemble.remote;

import java.util.concurrent.CompletableFuture;

/** The actions of the test counter; public so that proxies and reflection reach it. */
public interface CounterActions {
    void increment(int by);

    CompletableFuture<Integer> total();

    CompletableFuture<Integer> fail(String why);

    CompletableFuture<Note> echo(Note note);

    CompletableFuture<String> describe(Object anything);

    CompletableFuture<Object> unregisteredResult();

    void announce(String what);

    void remember(Object anything);

    /** Records {@code i}; the state counts calls that arrived after a larger one. */
    void record(int i);

    /** Slow work: holds the actor for {@code millis}, then answers the total. */
    CompletableFuture<Integer> busy(int millis);

    /** Slow work as a tell: holds the actor for {@code millis}. */
    void spin(int millis);
}
