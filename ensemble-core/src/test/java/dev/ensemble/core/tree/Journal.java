package dev.ensemble.core.tree;

import java.util.ArrayList;
import java.util.List;

/** What the test actors of a tree did, in the order they did it; written from their turns. */
final class Journal {
    private final List<String> entries = new ArrayList<>();

    synchronized void add(String entry) {
        entries.add(entry);
    }

    synchronized List<String> entries() {
        return List.copyOf(entries);
    }

    /** @return the entries after the first {@code skip} */
    synchronized List<String> since(int skip) {
        return List.copyOf(entries.subList(skip, entries.size()));
    }

    synchronized int size() {
        return entries.size();
    }
}
