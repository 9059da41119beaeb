package dev.ensemble.collab;

import java.util.concurrent.CompletableFuture;

/** The actions of {@link FuzzActor}. */
public interface FuzzActions {
    /** Makes the random edit that {@code seed} chooses. */
    void edit(long seed);

    /** Splices the text. */
    void splice(int at, int delete, String insert);

    /** Inserts into the text twice in one change: {@code first} at {@code firstAt}, then {@code second}. */
    void insertTwice(int firstAt, String first, int secondAt, String second);

    /** Runs a resync with every peer. */
    void resyncNow();

    /** @return null if the view equals a full decode of the document, else what differs */
    CompletableFuture<String> check();

    /** @return how many times the view read the whole document */
    CompletableFuture<Long> fullReads();

    /** @return how many peers' text changes the view followed without patches */
    CompletableFuture<Long> remoteTextEdits();
}
