package dev.ensemble.core;

import java.util.concurrent.CompletableFuture;

/** The actions of {@link Mirror}, an actor that follows the counter it depends on. */
interface MirrorActions {
    /** @return the count, asked of the counter through the dependency's client */
    CompletableFuture<Long> countOfTheCounter();

    /** Fails the instance, so that its supervision restarts it. */
    void crash();
}
