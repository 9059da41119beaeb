package dev.ensemble.benchmarks.collab;

/**
 * The view of the benchmarks' document: one collaborative text, as the automerge-paper trace
 * edits it. Immutable.
 *
 * <pre>{@code
 * Paper paper = client.state();
 * int length = paper.text().length();
 * }</pre>
 *
 * @param text the whole text
 */
public record Paper(String text) {
    /** The empty document every benchmark starts from. */
    public static final Paper EMPTY = new Paper("");
}
