package dev.ensemble.collab.view;

import java.util.ArrayList;
import java.util.HashMap;
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
 * <h2>Typing near the last edits: no look-up at all</h2>
 * People type where they typed a moment ago. The view remembers where the elements that recent
 * edits inserted stand ({@link KnownPositions}); a run inserted after one of them, when it is the
 * only run of the change in its text, stands right after it (its elements are the newest in the
 * document), and deleting one of them deletes a known position. Only a run that is the text's
 * only one may use a known position: a known position is from before the change, and other runs
 * of the change could land before it.
 *
 * <p><em>Not thread-safe</em>: made and completed inside one actor turn, around one apply.
 */
public final class RemoteTextEdit {
    /** Look-ups cost 3-7 µs each; past this many, Automerge's patches (about 40 µs) are as cheap. */
    static final int MAX_LOOKUPS = 4;
    /** How many of a run's last elements {@link KnownPositions} remembers: a keystroke's run is one. */
    private static final int REMEMBERED_PER_RUN = 4;
    /** The order of a text's only run; never changed. */
    private static final int[] ONE_RUN = {0};

    private final MapObject prepared;
    private final List<TextSplices> texts;
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
     * @param known where recently inserted elements stand, if of {@code root}
     * @param ids makes the ids the change names
     * @return the edit, or null if the change is not one this class follows
     */
    static RemoteTextEdit prepare(
            MapObject root, TextPaths paths, byte[] change, Read doc, KnownPositions known, OperationIds ids) {
        ChangeOps ops = ChangeOps.read(change, ids);
        if (ops == null) {
            return null;
        }
        // In the order first seen; a keystroke names one text, found without a map's hashing.
        List<TextSplices> texts = new ArrayList<>(1);
        Map<String, TextSplices> byText = null;
        Run run = null;
        for (int i = 0; i < ops.size; i++) {
            String object = ops.objectId(i);
            if (object == null || ops.keyString[i] != null) {
                return null;
            }
            TextSplices text = texts.isEmpty() || !texts.get(0).object.equals(object)
                    ? byText == null ? null : byText.get(object)
                    : texts.get(0);
            if (text == null) {
                TextPaths.Found found = paths.find(root, object);
                if (found == null) {
                    return null;
                }
                text = new TextSplices(object, found);
                texts.add(text);
                if (texts.size() > 1) {
                    if (byText == null) {
                        byText = new HashMap<>();
                        byText.put(texts.get(0).object, texts.get(0));
                    }
                    byText.put(object, text);
                }
            }
            if (isInsertion(ops, i)) {
                if (run != null && run.text == text && continues(ops, i)) {
                    run.value.append(ops.valueString[i]);
                    run.lastOp = i;
                } else {
                    run = new Run(text, ops, i);
                    text.runs.add(run);
                    if (text.runs.size() > MAX_LOOKUPS) {
                        return null;
                    }
                }
            } else if (isDeletion(ops, i) && text.deletedOp < 0) {
                text.deletedOp = i;
                run = null;
            } else {
                return null;
            }
        }
        boolean knowing = known.of(root);
        int lookups = 0;
        for (TextSplices text : texts) {
            if (text.deletedOp >= 0) {
                int d = text.deletedOp;
                int mark = knowing ? known.find(text.object, ops.keyCtr[d], ops.elementActor(d)) : -1;
                if (mark >= 0 && known.width(mark) == 1) {
                    text.deletedAt = known.position(mark);
                } else {
                    lookups++;
                }
            }
            for (Run each : text.runs) {
                String after = ops.elementActor(each.firstOp);
                int mark = knowing && text.runs.size() == 1 && after != null
                        ? known.find(text.object, ops.keyCtr[each.firstOp], after)
                        : -1;
                if (mark >= 0) {
                    each.after = known.position(mark) + known.width(mark);
                } else {
                    lookups++;
                }
            }
        }
        if (lookups > MAX_LOOKUPS) {
            return null;
        }
        RemoteTextEdit edit = new RemoteTextEdit(root, texts);
        try {
            for (TextSplices text : texts) {
                if (text.deletedOp >= 0 && text.deletedAt < 0) {
                    text.deletedAt = edit.index(doc, text.found.text().id(), ops.elementId(text.deletedOp));
                    if (text.deletedAt < 0) {
                        return null;
                    }
                }
                if (text.deletedAt >= text.found.text().rope().codePoints()) {
                    return null;
                }
                for (Run each : text.runs) {
                    if (each.after >= 0) {
                        // The element before the run keeps its place unless it, or one before
                        // it, is the deleted one.
                        each.position =
                                text.deletedAt >= 0 && text.deletedAt < each.after ? each.after - 1 : each.after;
                    }
                }
            }
        } catch (RuntimeException unknownElement) {
            // The element is not in the document: Automerge will say so when it applies the change.
            return null;
        }
        return edit;
    }

    /**
     * Follows the change, now applied to the document, and moves the known positions with it.
     *
     * @param root the view before the change (the one {@link #prepare} saw)
     * @param doc the document, after the change
     * @param known where recently inserted elements stand: of the view after the change on
     *     return, undefined if this throws
     * @return the view after it
     * @throws ViewMismatchException if the document does not hold what the view would; the view
     *     must then be read again
     */
    MapObject complete(MapObject root, Read doc, KnownPositions known) {
        if (root != prepared) {
            throw new ViewMismatchException("the view changed between the look-ups before and after the change");
        }
        known.beginEdit(root);
        MapObject at = root;
        for (TextSplices text : texts) {
            ObjectId id = text.found.text().id();
            Rope rope = text.found.text().rope();
            try {
                if (text.deletedOp >= 0) {
                    rope = rope.splice((int) text.deletedAt, 1, "");
                    known.deleted(text.object, text.deletedAt);
                }
                // Each run's position is final: insert them from the first, so that the ones
                // before a run are in place when it goes in.
                long[] positions = new long[text.runs.size()];
                for (int r = 0; r < positions.length; r++) {
                    Run run = text.runs.get(r);
                    positions[r] = run.position >= 0 ? run.position : index(doc, id, run.firstElement());
                }
                for (int r : ascending(positions)) {
                    String value = text.runs.get(r).value.toString();
                    rope = rope.splice((int) positions[r], 0, value);
                    known.inserted(text.object, positions[r], value.codePointCount(0, value.length()));
                }
                if (text.deletedOp >= 0 && doc.length(id) != rope.codePoints()) {
                    throw new ViewMismatchException("a deleted element was not one visible code point");
                }
                for (int r = 0; r < positions.length; r++) {
                    text.runs.get(r).remember(positions[r], known);
                }
            } catch (IndexOutOfBoundsException | ViewMismatchException e) {
                throw new ViewMismatchException("a peer's text change does not fit the view: " + e.getMessage());
            } catch (RuntimeException e) {
                throw new ViewMismatchException("a look-up after a peer's text change failed: " + e.getMessage());
            }
            Rope edited = rope;
            at = (MapObject) LocalEdits.update(
                    at, text.found.path(), 0, text.found.path().size(), node -> new TextObject(id, edited));
        }
        known.endEdit(at);
        return at;
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
        if (positions.length == 1) {
            // A keystroke: no boxed indices and comparator to sort one run.
            return ONE_RUN;
        }
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
        /** The text's id, {@code counter@actor}. */
        final String object;

        final TextPaths.Found found;
        final List<Run> runs = new ArrayList<>(1);
        /** The operation that deletes an element, or -1. */
        int deletedOp = -1;
        /** Where the deleted element stands before the change, or -1 until known. */
        long deletedAt = -1;

        TextSplices(String object, TextPaths.Found found) {
            this.object = object;
            this.found = found;
        }
    }

    /** Insertions one after another: their operations, the text they insert, and where, once known. */
    private static final class Run {
        final TextSplices text;
        final ChangeOps ops;
        final int firstOp;
        final StringBuilder value;
        int lastOp;
        /** Right after the element the run follows, from a known position before the change, or -1. */
        long after = -1;
        /** The position of the first element in the text after the change, or -1 until known. */
        long position = -1;

        Run(TextSplices text, ChangeOps ops, int firstOp) {
            this.text = text;
            this.ops = ops;
            this.firstOp = firstOp;
            this.lastOp = firstOp;
            this.value = new StringBuilder(ops.valueString[firstOp]);
        }

        String firstElement() {
            return ops.opId(firstOp);
        }

        /**
         * Remembers where the run's last elements stand: typing goes on after the last one, and
         * deleting what was just typed deletes them from the last.
         */
        void remember(long position, KnownPositions known) {
            int from = Math.max(firstOp, lastOp - REMEMBERED_PER_RUN + 1);
            String author = ops.authorHex();
            long at = position;
            for (int op = firstOp; op <= lastOp; op++) {
                String element = ops.valueString[op];
                int width = element.codePointCount(0, element.length());
                if (op >= from) {
                    known.remember(text.object, ops.startOp + op, author, at, width);
                }
                at += width;
            }
        }
    }
}
