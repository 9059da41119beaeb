package dev.ensemble.benchmarks.collab;

import java.util.concurrent.CompletableFuture;

/**
 * The actions of {@link DraftsActor}. Called through an {@code ActorClient}, so thread-safe like
 * any actor client.
 */
public interface DraftsActions {
    /**
     * Applies edits {@code [from, to)} of a trace to one text in one turn, one change per edit: a
     * fast typist's batch, which reaches the peers as one push.
     *
     * @param field the text, one of {@link Drafts#FIELDS}
     * @param trace the trace
     * @param from the first edit, inclusive
     * @param to the last edit, exclusive
     */
    void replay(String field, EditTrace trace, int from, int to);

    /** Runs the resync step now, which the benchmark drives in virtual time. */
    void runResync();

    /**
     * Returns the texts as they are after every earlier action.
     *
     * @return the view, current
     */
    CompletableFuture<Drafts> drafts();
}
