package dev.ensemble.benchmarks.collab;

import dev.ensemble.collab.view.Text;

/**
 * The view of the benchmarks' document: one collaborative text, as the automerge-paper trace
 * edits it. Immutable. The text is a {@link Text}, so that publishing the view after a keystroke
 * costs the keystroke: a {@code String} component would be copied whole on every publication.
 *
 * <pre>{@code
 * Paper paper = client.state();
 * int length = paper.text().length(); // a CharSequence; toString() for a String
 * }</pre>
 *
 * @param text the whole text
 */
public record Paper(Text text) {
    /** The empty document every benchmark starts from. */
    public static final Paper EMPTY = new Paper(Text.empty());
}
