package dev.ensemble.core;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Actions of {@link Nester}. */
interface NesterActions {
    void outer();

    void inner();

    void after();

    CompletableFuture<List<String>> log();
}
