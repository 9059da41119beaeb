package dev.ensemble.remote;

import java.util.concurrent.CompletableFuture;

/** The actions of {@link TallyWatcher}. */
interface TallyWatcherActions {
    /** @return the counter's total, asked through the watcher's dependency on it */
    CompletableFuture<Integer> totalOfTheCounter();
}
