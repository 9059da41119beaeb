package dev.ensemble.collab.view;

/**
 * An immutable text as a balanced tree of string chunks, so that a splice costs the depth of the
 * tree plus one chunk, and the versions before and after a splice share every other chunk.
 * Positions are in Unicode code points, as Automerge counts them; {@link #length()} is in UTF-16
 * chars, as Java counts them.
 *
 * <p>Balanced as an AVL tree by height; {@link #join} is the classic join of two AVL trees
 * without a key, which lets a splice rebuild only the path to the chunks it touches. Thread-safe:
 * immutable.
 */
final class Rope {
    /**
     * The most chars in one chunk. Typing rewrites one chunk per keystroke (and counts its code
     * points), so a chunk should stay small against the document, yet large enough that a
     * 100,000-char text has only about a thousand chunks, a tree about 12 deep. With 1,024 the
     * chunk rewrites were 3 % of an edit stream's time.
     */
    static final int MAX_CHUNK = 256;

    static final Rope EMPTY = new Rope("", 0);

    /** Non-null for a chunk (a leaf), null for a branch. */
    private final String chunk;

    private final Rope left;
    private final Rope right;
    private final int chars;
    private final int codePoints;
    private final int height;

    private Rope(String chunk, int codePoints) {
        this.chunk = chunk;
        this.left = null;
        this.right = null;
        this.chars = chunk.length();
        this.codePoints = codePoints;
        this.height = 0;
    }

    private Rope(Rope left, Rope right) {
        this.chunk = null;
        this.left = left;
        this.right = right;
        this.chars = left.chars + right.chars;
        this.codePoints = left.codePoints + right.codePoints;
        this.height = Math.max(left.height, right.height) + 1;
    }

    /** @return the text as a rope of chunks of at most {@link #MAX_CHUNK} chars */
    static Rope of(String text) {
        if (text.length() <= MAX_CHUNK) {
            return text.isEmpty() ? EMPTY : new Rope(text, text.codePointCount(0, text.length()));
        }
        int middle = text.length() / 2;
        // Never split a surrogate pair between two chunks: code point counts stay per chunk.
        if (Character.isLowSurrogate(text.charAt(middle)) && Character.isHighSurrogate(text.charAt(middle - 1))) {
            middle--;
        }
        return new Rope(of(text.substring(0, middle)), of(text.substring(middle)));
    }

    /** @return the length in UTF-16 chars */
    int length() {
        return chars;
    }

    /** @return the length in code points */
    int codePoints() {
        return codePoints;
    }

    /** @return the char at an index in UTF-16 chars */
    char charAt(int index) {
        if (index < 0 || index >= chars) {
            throw new IndexOutOfBoundsException("index " + index + " of a text of " + chars + " chars");
        }
        Rope at = this;
        while (at.chunk == null) {
            if (index < at.left.chars) {
                at = at.left;
            } else {
                index -= at.left.chars;
                at = at.right;
            }
        }
        return at.chunk.charAt(index);
    }

    /**
     * Replaces {@code delete} code points at {@code at} by {@code insert}.
     *
     * @throws IndexOutOfBoundsException if the range is not inside the text
     */
    Rope splice(int at, int delete, String insert) {
        if (at < 0 || delete < 0 || (long) at + delete > codePoints) {
            throw new IndexOutOfBoundsException(
                    "cannot splice at " + at + " deleting " + delete + " in a text of " + codePoints + " code points");
        }
        if (delete == 0 && insert.isEmpty()) {
            return this;
        }
        return spliceWithin(at, delete, insert);
    }

    private Rope spliceWithin(int at, int delete, String insert) {
        if (chunk != null) {
            int from = charOffset(at);
            int to = charOffset(at + delete);
            return of(chunk.substring(0, from) + insert + chunk.substring(to));
        }
        int split = left.codePoints;
        if (at + delete <= split) {
            // An insertion at the boundary goes to the left, where typing at the end of a chunk
            // extends that chunk.
            return join(left.spliceWithin(at, delete, insert), right);
        } else if (at >= split) {
            return join(left, right.spliceWithin(at - split, delete, insert));
        }
        return join(left.spliceWithin(at, split - at, insert), right.spliceWithin(0, at + delete - split, ""));
    }

    private int charOffset(int codePoint) {
        return chars == codePoints ? codePoint : chunk.offsetByCodePoints(0, codePoint);
    }

    /** Appends the whole text. */
    void appendTo(StringBuilder out) {
        if (chunk != null) {
            out.append(chunk);
        } else {
            left.appendTo(out);
            right.appendTo(out);
        }
    }

    @Override
    public String toString() {
        if (chunk != null) {
            return chunk;
        }
        StringBuilder out = new StringBuilder(chars);
        appendTo(out);
        return out.toString();
    }

    /** @return the height of the tree, for tests of the balance */
    int height() {
        return height;
    }

    /** @return the concatenation of two ropes, balanced */
    static Rope join(Rope a, Rope b) {
        if (a.chars == 0) {
            return b;
        } else if (b.chars == 0) {
            return a;
        } else if (a.chunk != null && b.chunk != null && a.chars + b.chars <= MAX_CHUNK) {
            return new Rope(a.chunk + b.chunk, a.codePoints + b.codePoints);
        } else if (a.height > b.height + 1) {
            return balance(a.left, join(a.right, b));
        } else if (b.height > a.height + 1) {
            return balance(join(a, b.left), b.right);
        }
        return new Rope(a, b);
    }

    /** A branch of two balanced trees whose heights differ by at most two, rotated if they differ by two. */
    private static Rope balance(Rope l, Rope r) {
        if (l.height > r.height + 1) {
            if (l.left.height >= l.right.height) {
                return new Rope(l.left, new Rope(l.right, r));
            }
            return new Rope(new Rope(l.left, l.right.left), new Rope(l.right.right, r));
        } else if (r.height > l.height + 1) {
            if (r.right.height >= r.left.height) {
                return new Rope(new Rope(l, r.left), r.right);
            }
            return new Rope(new Rope(l, r.left.left), new Rope(r.left.right, r.right));
        }
        return new Rope(l, r);
    }
}
