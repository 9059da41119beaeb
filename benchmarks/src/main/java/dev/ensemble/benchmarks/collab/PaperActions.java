package dev.ensemble.benchmarks.collab;

import java.util.concurrent.CompletableFuture;

/**
 * The actions of {@link PaperActor}: the edits of a trace, one Automerge change each. Called
 * through an {@code ActorClient}, so thread-safe like any actor client.
 *
 * <pre>{@code
 * paper.actions().splice(0, 0, "x");                 // a tell: one change
 * String text = paper.actions().text().join();       // an ask
 * }</pre>
 */
public interface PaperActions {
    /**
     * Edits the text in one change.
     *
     * @param position where the edit starts, in code points
     * @param deleteCount how many code points to remove there
     * @param insert what to insert there
     */
    void splice(int position, int deleteCount, String insert);

    /**
     * Applies edits {@code [from, to)} of a trace in one turn, still one change per edit, so the
     * document's history is the same as with one {@link #splice} per edit. Used to set documents
     * up quickly: the view and the peers catch up once, after the last edit.
     *
     * @param trace the trace
     * @param from the first edit, inclusive
     * @param to the last edit, exclusive
     */
    void replay(EditTrace trace, int from, int to);

    /**
     * Runs the resync step now ({@code CollaborationActor.resync}), which the benchmarks drive in
     * virtual time instead of the real-time timer: the keystroke benchmark runs one per resync
     * interval, so the confirmation of pushed changes is counted.
     */
    void runResync();

    /**
     * Answers once every earlier action has run and the view shows them (the work of the flush
     * that would follow is done here, inside the ask): what a benchmark waits for between chunks
     * of edits, so that none of their work spills into what is timed next.
     *
     * @return a future completed with {@code true}
     */
    CompletableFuture<Boolean> caughtUp();

    /**
     * Returns the text as it is after every earlier action.
     *
     * @return the current text
     */
    CompletableFuture<String> text();
}
