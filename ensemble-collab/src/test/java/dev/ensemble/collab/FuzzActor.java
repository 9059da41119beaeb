package dev.ensemble.collab;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ensemble.collab.view.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * A collaboration actor that makes random edits of every kind the API offers (text splices with
 * non-BMP characters, strings, counters, list inserts and deletes, nested records, lists of lists,
 * whole-view updates, and transactions that fail and roll back) and compares its view with a full
 * decode of its document on request.
 */
final class FuzzActor extends CollaborationActor<FuzzView> implements FuzzActions {
    private static final DocPath TEXT = DocPath.of("text");
    private static final DocPath ITEMS = DocPath.of("items");
    private static final DocPath GRID = DocPath.of("grid");
    private static final String[] PIECES = {"a", "b", "xyz", " ", "é", "😀", "\n", "hello"};

    FuzzActor(CollaborationSettings<FuzzView> settings) {
        super(settings);
    }

    static CollaborationSettings.Builder<FuzzView> settings(String documentId) {
        return CollaborationSettings.builder(documentId, FuzzView.class, FuzzView.INITIAL)
                .genesis(tx -> tx.putCounter(DocPath.of("plays"), 0));
    }

    @Override
    public void edit(long seed) {
        Random random = new Random(seed);
        FuzzView now = view();
        int items = now.items().size();
        switch (random.nextInt(12)) {
            case 0, 1, 2 -> {
                int length = now.text().codePointLength();
                int at = random.nextInt(length + 1);
                int delete = Math.min(length - at, random.nextInt(3) == 0 ? random.nextInt(4) : 0);
                String insert = random.nextInt(5) == 0 ? "" : PIECES[random.nextInt(PIECES.length)];
                change(tx -> tx.spliceText(TEXT, at, delete, insert));
            }
            case 3 -> {
                if (random.nextBoolean()) {
                    change(tx -> tx.put(DocPath.of("title"), "title " + random.nextInt(100)));
                } else {
                    change(tx -> tx.putScalar(DocPath.of("title"), "scalar " + random.nextInt(100)));
                }
            }
            case 4 -> change(tx -> tx.increment(DocPath.of("plays"), random.nextInt(7) - 3));
            case 5 -> {
                int at = random.nextInt(items + 1);
                change(tx -> {
                    tx.insert(ITEMS, at, new FuzzView.Item("item " + random.nextInt(1000), 0, List.of("t")));
                    tx.putCounter(DocPath.of("items", at, "votes"), random.nextInt(5));
                });
            }
            case 6 -> {
                if (items > 0) {
                    int at = random.nextInt(items);
                    change(tx -> tx.delete(DocPath.of("items", at)));
                }
            }
            case 7 -> {
                if (items > 0) {
                    int at = random.nextInt(items);
                    if (random.nextBoolean()) {
                        change(tx -> tx.increment(DocPath.of("items", at, "votes"), 1 + random.nextInt(3)));
                    } else {
                        change(tx -> tx.put(DocPath.of("items", at, "tags"), List.of("n" + random.nextInt(9), "m")));
                    }
                }
            }
            case 8 -> {
                switch (random.nextInt(3)) {
                    case 0 -> change(tx -> tx.put(DocPath.of("settings", "inner", "label"), "l" + random.nextInt(50)));
                    case 1 -> change(tx -> tx.put(DocPath.of("settings", "size"), random.nextInt(50)));
                    default ->
                        change(tx -> {
                            tx.delete(DocPath.of("settings", "inner"));
                            tx.put(DocPath.of("settings", "inner"), new FuzzView.Inner("new", random.nextInt(9)));
                        });
                }
            }
            case 9 -> {
                int rows = now.grid().size();
                if (rows == 0 || random.nextInt(3) == 0) {
                    int at = random.nextInt(rows + 1);
                    change(tx -> tx.insert(GRID, at, List.of(1L, 2L)));
                } else {
                    int row = random.nextInt(rows);
                    int cells = now.grid().get(row).size();
                    if (cells > 0 && random.nextBoolean()) {
                        int cell = random.nextInt(cells);
                        change(tx -> tx.delete(DocPath.of("grid", row, cell)));
                    } else {
                        change(tx -> tx.insert(DocPath.of("grid", row), random.nextInt(cells + 1), random.nextLong()));
                    }
                }
            }
            case 10 -> {
                try {
                    change(tx -> {
                        tx.spliceText(TEXT, 0, 0, "doomed");
                        tx.increment(DocPath.of("plays"), 100);
                        tx.insert(ITEMS, 0, new FuzzView.Item("doomed", 0, List.of()));
                        throw new IllegalStateException("this transaction fails on purpose");
                    });
                } catch (IllegalStateException expected) {
                    // Rolled back: the view must not show any of it.
                }
            }
            default -> {
                List<FuzzView.Item> next = new ArrayList<>(now.items());
                if (!next.isEmpty()) {
                    next.remove(random.nextInt(next.size()));
                }
                update(new FuzzView(
                        now.text(),
                        "updated " + random.nextInt(100),
                        now.plays(),
                        next,
                        new FuzzView.Settings(
                                "dark",
                                now.settings().size() + 1,
                                now.settings().inner()),
                        now.grid()));
            }
        }
    }

    @Override
    public void resyncNow() {
        resync();
    }

    @Override
    public CompletableFuture<String> check() {
        FuzzView current = view();
        ObjectNode full = documentTree();
        ObjectNode incremental = viewTree();
        if (!JsonValues.same(full, incremental)) {
            return reply("the view's tree differs from a full decode:\n  view: " + incremental + "\n  full: " + full);
        }
        FuzzView decoded;
        try {
            decoded = settings().mapper().treeToValue(full, FuzzView.class);
        } catch (JsonProcessingException e) {
            return reply("a full decode failed: " + e.getMessage());
        }
        if (!decoded.equals(current)) {
            return reply("the typed view differs from a full decode:\n  view: " + current + "\n  full: " + decoded);
        }
        if (!current.equals(state())) {
            return reply("the published state is not the current view");
        }
        if (!(current.text() instanceof Text)) {
            return reply("the text is not a Text");
        }
        return reply(null);
    }

    @Override
    public CompletableFuture<Long> fullReads() {
        return reply(fullViewReads());
    }

    @Override
    public CompletableFuture<Long> remoteTextEdits() {
        return reply(remoteTextEditsFollowed());
    }

    @Override
    public void splice(int at, int delete, String insert) {
        change(tx -> tx.spliceText(TEXT, at, delete, insert));
    }

    @Override
    public void insertTwice(int firstAt, String first, int secondAt, String second) {
        change(tx -> {
            tx.spliceText(TEXT, firstAt, 0, first);
            tx.spliceText(TEXT, secondAt, 0, second);
        });
    }
}
