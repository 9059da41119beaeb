package dev.ensemble.collab.view;

import java.util.Arrays;

/**
 * Where the text elements that the latest followed edits inserted stand in one version of the
 * view, so that a peer's next keystroke near them needs no cursor look-up.
 *
 * <h2>Why</h2>
 * A cursor look-up costs 3 to 7 µs (more on longer texts), against 12 µs for Automerge to apply
 * the keystroke itself. People type where they typed a moment ago: after the character they just
 * typed, after one a few keystrokes back once they moved the caret by a word, or they delete what
 * they just typed. So the positions of the elements recent edits inserted answer most look-ups;
 * Yjs keeps a similar handful of "search markers" into its lists for the same reason.
 *
 * <h2>Why the positions stay exact</h2>
 * The positions are of one tree, {@link #of}: every followed edit moves them by exactly the
 * splices it made to the rope ({@link #deleted}, {@link #inserted}), and any other change to the
 * view (a local edit, patches, a full read) makes another tree, for which nothing is known. A
 * position is only trusted while its element is visible: deleting it forgets it.
 *
 * <p><em>Not thread-safe</em>: owned by one {@link ViewTree}, used in its actor's turns.
 */
final class KnownPositions {
    /**
     * How many elements are remembered. The remote-keystroke benchmark types within a window of 50
     * characters; 64 covers it, and moving all positions after a splice stays well under a
     * microsecond.
     */
    static final int CAPACITY = 64;

    /** The tree the positions are of. */
    private MapObject root;
    // Parallel arrays, oldest first: the text object ({@code counter@actor}), the element's id
    // (its counter, and its actor in hex), its position in code points, and its width in code
    // points. The id is kept in parts, not as Automerge's {@code counter@actor} string: making that
    // string for every element inserted and compared was about a tenth of a followed keystroke's
    // Java time (JFR, paper text), and the counters tell elements apart at a long's compare.
    private final String[] texts = new String[CAPACITY];
    private final long[] counters = new long[CAPACITY];
    private final String[] actors = new String[CAPACITY];
    private final long[] positions = new long[CAPACITY];
    private final int[] widths = new int[CAPACITY];
    private int size;

    /** @return whether the positions are of {@code tree} (else nothing is known about it) */
    boolean of(MapObject tree) {
        return tree != null && tree == root;
    }

    /** Forgets everything: the view changed in a way these positions did not follow. */
    void clear() {
        root = null;
        Arrays.fill(texts, 0, size, null);
        Arrays.fill(actors, 0, size, null);
        size = 0;
    }

    /**
     * @param text the text object's id
     * @param counter the element's counter
     * @param actor the element's actor in lower-case hex
     * @return the index of the element of {@code text}, or -1 if its position is not known
     */
    int find(String text, long counter, String actor) {
        for (int i = size - 1; i >= 0; i--) {
            if (counters[i] == counter && actors[i].equals(actor) && texts[i].equals(text)) {
                return i;
            }
        }
        return -1;
    }

    long position(int index) {
        return positions[index];
    }

    int width(int index) {
        return widths[index];
    }

    /**
     * Starts following an edit of {@code before}; until {@link #endEdit}, the positions are of no
     * tree. Known positions of another tree are forgotten.
     */
    void beginEdit(MapObject before) {
        if (root != before) {
            clear();
        }
        root = null;
    }

    /** Ends following an edit: the positions are now of {@code after}. */
    void endEdit(MapObject after) {
        root = after;
    }

    /** One visible code point of {@code text} at {@code at} was deleted. */
    void deleted(String text, long at) {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (texts[i].equals(text)) {
                if (positions[i] == at) {
                    continue;
                }
                if (positions[i] > at) {
                    positions[i]--;
                }
            }
            move(i, kept++);
        }
        Arrays.fill(texts, kept, size, null);
        Arrays.fill(actors, kept, size, null);
        size = kept;
    }

    /** {@code count} code points were inserted into {@code text} at {@code at}, before what stood there. */
    void inserted(String text, long at, int count) {
        for (int i = 0; i < size; i++) {
            if (positions[i] >= at && texts[i].equals(text)) {
                positions[i] += count;
            }
        }
    }

    /**
     * Remembers where an element now stands, forgetting the oldest one if full.
     *
     * @param text the text object's id
     * @param counter the element's counter
     * @param actor the element's actor in lower-case hex
     */
    void remember(String text, long counter, String actor, long position, int width) {
        if (size == CAPACITY) {
            System.arraycopy(texts, 1, texts, 0, CAPACITY - 1);
            System.arraycopy(counters, 1, counters, 0, CAPACITY - 1);
            System.arraycopy(actors, 1, actors, 0, CAPACITY - 1);
            System.arraycopy(positions, 1, positions, 0, CAPACITY - 1);
            System.arraycopy(widths, 1, widths, 0, CAPACITY - 1);
            size--;
        }
        texts[size] = text;
        counters[size] = counter;
        actors[size] = actor;
        positions[size] = position;
        widths[size] = width;
        size++;
    }

    /** @return how many positions are known (for tests) */
    int size() {
        return size;
    }

    private void move(int from, int to) {
        if (from != to) {
            texts[to] = texts[from];
            counters[to] = counters[from];
            actors[to] = actors[from];
            positions[to] = positions[from];
            widths[to] = widths[from];
        }
    }
}
