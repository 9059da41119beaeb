package dev.ensemble.core;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Actions of {@link Nester}. */
interface NesterActions {
    void outer();

    void inner();

    void after();

    void block(java.util.concurrent.CountDownLatch release) throws InterruptedException;

    CompletableFuture<List<String>> log();
}
