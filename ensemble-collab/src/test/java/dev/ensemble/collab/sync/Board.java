package dev.ensemble.collab.sync;

import java.util.List;

/** The view of the test document: text, a list, a counter and collaborative notes. */
public record Board(String title, List<String> items, long plays, String notes) {
    static final Board EMPTY = new Board("", List.of(), 0, "");
}
