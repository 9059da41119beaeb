package dev.ensemble.collab.view;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.automerge.Cursor;
import org.automerge.ObjectId;
import org.automerge.Read;

/**
 * INTERNAL API: a peer's change that only splices text, followed by the view with a cursor look-up
 * per splice instead of Automerge's patches.
 *
 * <h2>Why</h2>
 * A keystroke from a peer, applied to a document holding the 105,000-character paper text, costs
 * automerge-java 12.5 µs to apply; asking for its patches costs 40 µs more (a patch log made and
 * freed, 7 µs more to apply with it, 25 µs for {@code makePatches}), which was most of what a
 * remote keystroke cost. What the view needs is only where the splice lands: a cursor look-up of
 * one element costs 7 µs (measured on that text; 3 µs on a short one).
 *
 * <h2>What is accepted, and why the result is exact</h2>
 * Only a change that extends the document linearly (checked by the caller with {@link
 * ChangeChain}: its author held exactly this document) and whose every operation is
 * <ul>
 *   <li>an insertion of a non-empty string into a text object the view holds, either after any
 *       element or, continuing a run, after the insertion just before it in the change; or</li>
 *   <li>the deletion of one element of such a text, not one the change itself inserted, with
 *       the element as its only predecessor, at most one per text object;</li>
 * </ul>
 * with at most {@link #MAX_LOOKUPS} runs and deletions in all. A run's new elements carry the
 * highest operation ids in the document, so they stand where they were inserted, and once applied
 * they are visible: the look-up of a run's first element <em>after</em> the apply is where the run
 * is. A deleted element must be looked up <em>before</em> the apply (afterwards it is a tombstone,
 * whose look-up gives the next visible position); that position is exact if the element was
 * visible and one code point wide, which the text's length after the apply confirms: with one
 * deletion per text, any other case leaves the length different from the view's, and the view is
 * then read again. Anything else is left to Automerge's patches.
 *
 * <h2>Typing on: no look-up at all</h2>
 * A person typing inserts each character after the one typed before. When an edit was one run
 * and the view has not changed since, the next change that inserts after that run's last element
 * (in the same text, with no deletion there) needs no look-up: the new element, the newest in
 * the document, stands right after that element, whose position the edit left in its {@link
 * Continuation}.
 *
 * <p><em>Not thread-safe</em>: made and completed inside one actor turn, around one apply.
 */
public final class RemoteTextEdit {
    /** Look-ups cost 3-7 µs each; past this many, Automerge's patches (about 40 µs) are as cheap. */
    static final int MAX_LOOKUPS = 4;

    private final MapObject prepared;
    private final List<TextSplices> texts;
    private Continuation continuation;
    private int lookups;

    private RemoteTextEdit(MapObject prepared, List<TextSplices> texts) {
        this.prepared = prepared;
        this.texts = texts;
    }

    /**
     * Reads a change and looks up what must be looked up before it is applied.
     *
     * @param root the view before the change
     * @param paths where the view's texts are
     * @param change one change chunk that extends the document linearly
     * @param doc the document, before the change
     * @param last where the last edit's run ended, or null
     * @return the edit, or null if the change is not one this class follows
     */
    static RemoteTextEdit prepare(MapObject root, TextPaths paths, byte[] change, Read doc, Continuation last) {
        ChangeOps ops = ChangeOps.read(change);
        if (ops == null) {
            return null;
        }
        Map<String, TextSplices> byText = new LinkedHashMap<>();
        int lookups = 0;
        boolean continued = false;
        Run run = null;
        for (int i = 0; i < ops.size; i++) {
            String object = ops.objectId(i);
            if (object == null || ops.keyString[i] != null) {
                return null;
            }
            TextSplices text = byText.get(object);
            if (text == null) {
                TextPaths.Found found = paths.find(root, object);
                if (found == null) {
                    return null;
                }
                text = new TextSplices(found);
                byText.put(object, text);
            }
            if (isInsertion(ops, i)) {
                if (run != null && run.text == text && continues(ops, i)) {
                    run.value.append(ops.valueString[i]);
                    run.lastOp = i;
                } else {
                    run = new Run(text, ops, i);
                    text.runs.add(run);
                    if (!continued && last != null && last.continuedBy(root, object, ops.elementId(i))) {
                        // One run at most: a second run after the same element would stand before the first.
                        continued = true;
                        run.position = last.next();
                    } else {
                        lookups++;
                    }
                }
            } else if (isDeletion(ops, i) && text.deleted == null) {
                text.deleted = ops.elementId(i);
                run = null;
                lookups++;
            } else {
                return null;
            }
            if (lookups > MAX_LOOKUPS) {
                return null;
            }
        }
        for (TextSplices text : byText.values()) {
            for (Run known : text.runs) {
                if (known.position >= 0 && text.deleted != null) {
                    // The continuation's position is from before the deletion: look it up.
                    known.position = -1;
                    lookups++;
                }
            }
        }
        if (lookups > MAX_LOOKUPS) {
            return null;
        }
        RemoteTextEdit edit = new RemoteTextEdit(root, new ArrayList<>(byText.values()));
        try {
            for (TextSplices text : byText.values()) {
                if (text.deleted != null) {
                    long at = edit.index(doc, text.found.text().id(), text.deleted);
                    if (at < 0 || at >= text.found.text().rope().codePoints()) {
                        return null;
                    }
                    text.deletedAt = (int) at;
                }
            }
        } catch (RuntimeException unknownElement) {
            // The element is not in the document: Automerge will say so when it applies the change.
            return null;
        }
        return edit;
    }

    /**
     * Follows the change, now applied to the document.
     *
     * @param root the view before the change (the one {@link #prepare} saw)
     * @param doc the document, after the change
     * @return the view after it
     * @throws ViewMismatchException if the document does not hold what the view would; the view
     *     must then be read again
     */
    MapObject complete(MapObject root, Read doc) {
        if (root != prepared) {
            throw new ViewMismatchException("the view changed between the look-ups before and after the change");
        }
        MapObject at = root;
        for (TextSplices text : texts) {
            ObjectId id = text.found.text().id();
            Rope rope = text.found.text().rope();
            long end = -1;
            try {
                if (text.deleted != null) {
                    rope = rope.splice(text.deletedAt, 1, "");
                }
                // Each run's position is final: insert them from the first, so that the ones
                // before a run are in place when it goes in.
                long[] positions = new long[text.runs.size()];
                for (int r = 0; r < positions.length; r++) {
                    Run run = text.runs.get(r);
                    positions[r] = run.position >= 0 ? run.position : index(doc, id, run.firstElement());
                }
                for (int r : ascending(positions)) {
                    rope = rope.splice(
                            (int) positions[r], 0, text.runs.get(r).value.toString());
                }
                if (text.deleted != null && doc.length(id) != rope.codePoints()) {
                    throw new ViewMismatchException("a deleted element was not one visible code point");
                }
                if (texts.size() == 1 && positions.length == 1) {
                    Run run = text.runs.get(0);
                    String value = run.value.toString();
                    end = positions[0] + value.codePointCount(0, value.length());
                }
            } catch (IndexOutOfBoundsException | ViewMismatchException e) {
                throw new ViewMismatchException("a peer's text change does not fit the view: " + e.getMessage());
            } catch (RuntimeException e) {
                throw new ViewMismatchException("a look-up after a peer's text change failed: " + e.getMessage());
            }
            Rope edited = rope;
            at = (MapObject) LocalEdits.update(
                    at, text.found.path(), 0, text.found.path().size(), node -> new TextObject(id, edited));
            if (end >= 0) {
                Run run = text.runs.get(0);
                continuation = new Continuation(at, run.object, run.lastElement(), end);
            }
        }
        return at;
    }

    /** @return where this edit's one run ended, once {@link #complete}d; null if it had several or none */
    Continuation continuation() {
        return continuation;
    }

    private static boolean isInsertion(ChangeOps ops, int i) {
        return ops.action[i] == ChangeOps.SET
                && ops.insert[i]
                && ops.valueType[i] == ChangeOps.VALUE_STRING
                && !ops.valueString[i].isEmpty()
                && ops.predStart[i] == ops.predStart[i + 1];
    }

    /** Whether insertion {@code i} goes right after the operation before it, an insertion into the same object. */
    private static boolean continues(ChangeOps ops, int i) {
        return i > 0 && ops.isOwn(ops.keyActor[i], ops.keyCtr[i]) && ops.keyCtr[i] == ops.startOp + i - 1;
    }

    private static boolean isDeletion(ChangeOps ops, int i) {
        int pred = ops.predStart[i];
        return ops.action[i] == ChangeOps.DELETE
                && !ops.insert[i]
                && ops.valueType[i] <= ChangeOps.VALUE_NULL
                && ops.keyActor[i] != ChangeOps.NULL
                && !ops.isOwn(ops.keyActor[i], ops.keyCtr[i])
                && ops.predStart[i + 1] == pred + 1
                && ops.predActor[pred] == ops.keyActor[i]
                && ops.predCtr[pred] == ops.keyCtr[i];
    }

    private long index(Read doc, ObjectId text, String element) {
        lookups++;
        return doc.lookupCursorIndex(text, Cursor.fromString(element));
    }

    /** @return how many cursor look-ups this edit made (for tests) */
    int lookups() {
        return lookups;
    }

    private static int[] ascending(long[] positions) {
        Integer[] order = new Integer[positions.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Long.compare(positions[a], positions[b]));
        int[] sorted = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            sorted[i] = order[i];
        }
        return sorted;
    }

    /** What a change does to one text object. */
    private static final class TextSplices {
        final TextPaths.Found found;
        final List<Run> runs = new ArrayList<>(1);
        String deleted;
        int deletedAt;

        TextSplices(TextPaths.Found found) {
            this.found = found;
        }
    }

    /** Insertions one after another: their operations, the text they insert, and where, once known. */
    private static final class Run {
        final TextSplices text;
        final ChangeOps ops;
        final String object;
        final int firstOp;
        final StringBuilder value;
        int lastOp;
        /** The position of the first element in the text after the change, or -1 until looked up. */
        long position = -1;

        Run(TextSplices text, ChangeOps ops, int firstOp) {
            this.text = text;
            this.ops = ops;
            this.object = ops.objectId(firstOp);
            this.firstOp = firstOp;
            this.lastOp = firstOp;
            this.value = new StringBuilder(ops.valueString[firstOp]);
        }

        String firstElement() {
            return ops.opId(firstOp);
        }

        String lastElement() {
            return ops.opId(lastOp);
        }
    }

    /**
     * Where a followed run ended: valid while the view is still the tree that edit left.
     *
     * @param root the view after the edit
     * @param text the id of the text it inserted into
     * @param element the id of the run's last element
     * @param next the position right after that element
     */
    record Continuation(MapObject root, String text, String element, long next) {
        /** @return whether an insertion after {@code element} into {@code text} of {@code now} continues the run */
        boolean continuedBy(MapObject now, String text, String element) {
            return now == root && this.text.equals(text) && this.element.equals(element);
        }
    }
}
