package dev.ensemble.collab;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A location in a document: map keys (strings) and list indexes (non-negative integers) from the
 * root. {@code DocPath.of("settings", "tempo")}, {@code DocPath.of("notes", 3, "text")}.
 *
 * <p>Thread-safe: immutable.
 *
 * @param segments the keys and indexes, outermost first; empty for the root
 */
public record DocPath(List<Object> segments) {
    private static final DocPath ROOT = new DocPath(List.of());

    /**
     * @param segments strings (map keys) and non-negative integers (list indexes)
     */
    public DocPath {
        Objects.requireNonNull(segments, "segments");
        for (Object segment : segments) {
            if (!(segment instanceof String) && !(segment instanceof Integer index && index >= 0)) {
                throw new IllegalArgumentException("a document path segment must be a map key (String) or a list"
                        + " index (Integer >= 0), but was " + segment + " in " + segments);
            }
        }
        segments = List.copyOf(segments);
    }

    /** @return the root of the document */
    public static DocPath root() {
        return ROOT;
    }

    /**
     * @param segments strings (map keys) and non-negative integers (list indexes)
     * @return the path
     */
    public static DocPath of(Object... segments) {
        return new DocPath(List.of(segments));
    }

    /**
     * @param segment a key or index to append
     * @return a longer path
     */
    public DocPath then(Object segment) {
        List<Object> longer = new ArrayList<>(segments);
        longer.add(segment);
        return new DocPath(longer);
    }

    /** @return true for the root */
    public boolean isRoot() {
        return segments.isEmpty();
    }

    /** @return the path without its last segment */
    public DocPath parent() {
        if (isRoot()) {
            throw new IllegalStateException("the root has no parent");
        }
        return new DocPath(segments.subList(0, segments.size() - 1));
    }

    /** @return the last segment */
    public Object last() {
        if (isRoot()) {
            throw new IllegalStateException("the root has no last segment");
        }
        return segments.get(segments.size() - 1);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("$");
        for (Object segment : segments) {
            text.append(segment instanceof Integer ? "[" + segment + "]" : "." + segment);
        }
        return text.toString();
    }
}
