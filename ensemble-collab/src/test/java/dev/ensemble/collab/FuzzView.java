package dev.ensemble.collab;

import dev.ensemble.collab.view.Text;
import java.util.List;

/**
 * The view of the randomized view tests: a long text, a plain string, a counter, a list of
 * records with counters and nested lists, a nested record, and a list of lists.
 */
public record FuzzView(
        Text text, String title, long plays, List<Item> items, Settings settings, List<List<Long>> grid) {
    public record Item(String name, long votes, List<String> tags) {}

    public record Settings(String theme, long size, Inner inner) {}

    public record Inner(String label, long n) {}

    static final FuzzView INITIAL =
            new FuzzView(Text.empty(), "", 0, List.of(), new Settings("light", 1, new Inner("x", 0)), List.of());
}
