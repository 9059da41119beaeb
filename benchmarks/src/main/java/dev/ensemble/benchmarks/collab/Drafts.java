package dev.ensemble.benchmarks.collab;

import java.util.List;

/**
 * The view of the catch-up benchmark's document: one collaborative text per peer of its room of
 * four, so that every peer can replay the same trace at its own positions while all edit the one
 * document concurrently. Immutable.
 *
 * @param p0 the text peer 0 writes
 * @param p1 the text peer 1 writes
 * @param p2 the text peer 2 writes
 * @param p3 the text peer 3 writes
 */
public record Drafts(String p0, String p1, String p2, String p3) {
    /** The empty document every peer starts from. */
    public static final Drafts EMPTY = new Drafts("", "", "", "");

    /** The names of the texts, in peer order. */
    public static final List<String> FIELDS = List.of("p0", "p1", "p2", "p3");

    /** @return the texts, in peer order */
    public List<String> texts() {
        return List.of(p0, p1, p2, p3);
    }
}
