package dev.ensemble.collab.view;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;
import org.automerge.ChangeHash;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.automerge.ObjectType;
import org.automerge.Transaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A peer's text change followed without patches: the view after it equals the document's text,
 * and every change it does not claim to follow exactly is left to patches (prepare says null).
 * Changes are made by a real automerge-java document (the author) and applied to a copy (the
 * reader), as pushes are.
 */
class RemoteTextEditTest {
    private Document author;
    private Document reader;
    private ObjectId text;
    private ObjectId notes;

    @BeforeEach
    void twoDocumentsWithTwoTexts() {
        author = new Document();
        try (Transaction tx = author.startTransaction()) {
            text = tx.set(ObjectId.ROOT, "text", ObjectType.TEXT);
            tx.spliceText(text, 0, 0, "hello world");
            ObjectId list = tx.set(ObjectId.ROOT, "list", ObjectType.LIST);
            notes = tx.insert(list, 0, ObjectType.TEXT);
            tx.spliceText(notes, 0, 0, "note");
            tx.set(ObjectId.ROOT, "title", "greeting");
            tx.commit();
        }
        reader = Document.load(author.save());
    }

    @AfterEach
    void free() {
        author.free();
        reader.free();
    }

    @Test
    void readsTheOperationsOfAKeystrokeFromTheChangeColumns() {
        byte[] change = change(tx -> tx.spliceText(text, 5, 0, "X"));
        ChangeOps ops = ChangeOps.read(change);
        assertNotNull(ops);
        assertEquals(1, ops.size);
        assertEquals(ChangeOps.SET, ops.action[0]);
        assertTrue(ops.insert[0]);
        assertEquals("X", ops.valueString[0]);
        assertEquals(text.toString(), ops.objectId(0));
        assertArrayEquals(author.getActorId(), ops.actors[0]);
        assertEquals(0, ops.predStart[1] - ops.predStart[0], "an insertion has no predecessor");
    }

    @Test
    void readsADeletionWithItsPredecessor() {
        byte[] change = change(tx -> tx.spliceText(text, 2, 1, ""));
        ChangeOps ops = ChangeOps.read(change);
        assertNotNull(ops);
        assertEquals(1, ops.size);
        assertEquals(ChangeOps.DELETE, ops.action[0]);
        assertEquals(1, ops.predStart[1] - ops.predStart[0]);
        assertEquals(ops.keyCtr[0], ops.predCtr[0], "a deletion's predecessor is the element it deletes");
    }

    @Test
    void followsInsertionsDeletionsAndReplacements() {
        assertFollowed(tx -> tx.spliceText(text, 5, 0, ", dear"));
        assertFollowed(tx -> tx.spliceText(text, 0, 0, ">"));
        assertFollowed(tx -> tx.spliceText(text, reader.text(text).orElseThrow().length(), 0, "!"));
        assertFollowed(tx -> tx.spliceText(text, 3, 1, ""));
        assertFollowed(tx -> tx.spliceText(text, 1, 1, "E"));
        assertFollowed(tx -> tx.spliceText(text, 2, 0, "😀é"));
        assertFollowed(tx -> {
            tx.spliceText(text, 1, 0, "ab");
            tx.spliceText(text, 2, 0, "c");
            tx.spliceText(notes, 0, 1, "N");
        });
        assertEquals(reader.text(notes).orElseThrow(), "Note");
    }

    @Test
    void typingOnAfterTheLastRunNeedsNoLookUp() {
        ViewTree view = viewOfReader();
        follow(view, tx -> tx.spliceText(text, 5, 0, ","));
        long lookups = view.textLookups();
        for (int i = 0; i < 20; i++) {
            int at = 6 + i;
            String key = i % 7 == 0 ? "😀" : "t";
            follow(view, tx -> tx.spliceText(text, at, 0, key));
        }
        assertEquals(lookups, view.textLookups(), "each keystroke continued the one before");
        assertEquals(reader.text(text).orElseThrow(), textAt(view, "text"));
        follow(view, tx -> {
            // Two runs after the same element: the newer stands first, so only one may continue.
            tx.spliceText(text, 26, 0, "a");
            tx.spliceText(text, 26, 0, "b");
        });
        assertEquals(reader.text(text).orElseThrow(), textAt(view, "text"));
        lookups = view.textLookups();
        follow(view, tx -> tx.spliceText(text, 2, 0, "elsewhere"));
        assertEquals(lookups + 1, view.textLookups(), "a keystroke elsewhere is looked up");
        follow(view, tx -> tx.spliceText(text, 11, 1, "x"));
        assertEquals(reader.text(text).orElseThrow(), textAt(view, "text"));
        assertEquals(1 + 20 + 3, view.textEdits());
    }

    @Test
    void aContinuedRunAfterAnotherRunOfTheSameChangeLandsAfterIt() {
        ViewTree view = viewOfReader();
        follow(view, tx -> tx.spliceText(text, 5, 0, ","));
        follow(view, tx -> {
            // "X" goes in before the run's end; the keystroke after "," then stands one further on.
            tx.spliceText(text, 1, 0, "X");
            tx.spliceText(text, 7, 0, "Y");
        });
        assertEquals("hXello,Y world", reader.text(text).orElseThrow());
        assertEquals(reader.text(text).orElseThrow(), textAt(view, "text"));
    }

    @Test
    void deletingAndRetypingRecentKeystrokesNeedsNoLookUp() {
        ViewTree view = viewOfReader();
        follow(view, tx -> tx.spliceText(text, 5, 0, "abc"));
        long lookups = view.textLookups();
        follow(view, tx -> tx.spliceText(text, 7, 1, ""));
        follow(view, tx -> tx.spliceText(text, 7, 0, "d"));
        follow(view, tx -> tx.spliceText(text, 6, 1, "e"));
        follow(view, tx -> tx.spliceText(text, 6, 0, "😀"));
        follow(view, tx -> tx.spliceText(text, 7, 0, "f"));
        assertEquals("helloa😀fed world", reader.text(text).orElseThrow());
        assertEquals(reader.text(text).orElseThrow(), textAt(view, "text"));
        assertEquals(lookups, view.textLookups(), "every splice was next to a known element");
    }

    @Test
    void typingInAWindowOfRecentKeystrokesIsMostlyNotLookedUp() {
        ViewTree view = viewOfReader();
        follow(view, tx -> tx.spliceText(text, 5, 0, "x".repeat(200)));
        long lookups = view.textLookups();
        int keystrokes = 500;
        for (int k = 0; k < keystrokes; k++) {
            // As the remote-keystroke benchmark types: a window of 20 characters creeping on.
            int at = reader.text(text).orElseThrow().length() / 2 + k % 20;
            String key = String.valueOf((char) ('a' + k % 26));
            follow(view, tx -> tx.spliceText(text, at, 0, key));
            assertEquals(reader.text(text).orElseThrow(), textAt(view, "text"), "after keystroke " + k);
        }
        long looked = view.textLookups() - lookups;
        // Each pass over the window starts before the elements typed in the pass before: looked up
        // once a pass, and while the window still holds characters typed before the first pass.
        assertTrue(looked < keystrokes / 10, looked + " look-ups for " + keystrokes + " keystrokes");
    }

    @Test
    void knownPositionsAreForgottenWhenTheViewChangesOtherwise() {
        ViewTree view = viewOfReader();
        follow(view, tx -> tx.spliceText(text, 5, 0, ","));
        view.invalidate();
        view.current(reader);
        long lookups = view.textLookups();
        follow(view, tx -> tx.spliceText(text, 6, 0, "!"));
        assertEquals(lookups + 1, view.textLookups(), "the view was read again: nothing is known of it");
        assertEquals(reader.text(text).orElseThrow(), textAt(view, "text"));
    }

    @Test
    void leavesToPatchesWhatItDoesNotFollowExactly() {
        assertLeftToPatches("a map write", tx -> tx.set(ObjectId.ROOT, "title", "changed"));
        assertLeftToPatches("two deletions in one text", tx -> tx.spliceText(text, 2, 2, ""));
        assertLeftToPatches("a splice and a map write", tx -> {
            tx.spliceText(text, 1, 0, "a");
            tx.set(ObjectId.ROOT, "title", "changed again");
        });
        assertLeftToPatches("more runs than look-ups allowed", tx -> {
            for (int i = 0; i < RemoteTextEdit.MAX_LOOKUPS + 1; i++) {
                tx.spliceText(text, 2 * i, 0, "x");
            }
        });
        assertLeftToPatches("a new text", tx -> tx.set(ObjectId.ROOT, "more", ObjectType.TEXT));
    }

    @Test
    void aTextTheViewDoesNotHoldIsLeftToPatches() {
        ViewTree view = viewOfReader();
        ObjectId[] created = new ObjectId[1];
        byte[] first = change(tx -> created[0] = tx.set(ObjectId.ROOT, "fresh", ObjectType.TEXT));
        reader.applyEncodedChanges(first);
        byte[] change = change(tx -> tx.spliceText(created[0], 0, 0, "x"));
        assertNull(view.prepareTextEdit(change, reader), "the view was read before the text existed");
    }

    @Test
    void aDeletionOfAnElementTheReaderLacksIsLeftToAutomerge() {
        Document other = author.fork();
        try {
            try (Transaction tx = other.startTransaction()) {
                tx.spliceText(text, 0, 0, "zz");
                tx.commit();
            }
            ChangeHash[] heads = other.getHeads();
            try (Transaction tx = other.startTransaction()) {
                tx.spliceText(text, 0, 1, "");
                tx.commit();
            }
            byte[] unknownElement = other.encodeChangesSince(heads);
            ViewTree view = viewOfReader();
            assertNull(view.prepareTextEdit(unknownElement, reader), "the look-up fails; Automerge decides");
            assertEquals(reader.text(text).orElseThrow(), textAt(view, "text"));
        } finally {
            other.free();
        }
    }

    @Test
    void damagedChangesAreNeverReadAndNeverThrow() {
        byte[] change = change(tx -> tx.spliceText(text, 5, 1, "abc"));
        assertNotNull(ChangeOps.read(change));
        for (int cut = 0; cut < change.length; cut++) {
            assertNull(ChangeOps.read(Arrays.copyOf(change, cut)), "cut at " + cut);
        }
        Random random = new Random(7);
        for (int trial = 0; trial < 20_000; trial++) {
            byte[] damaged = change.clone();
            int flips = 1 + random.nextInt(3);
            for (int f = 0; f < flips; f++) {
                damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
            }
            ChangeOps ops = ChangeOps.read(damaged);
            if (ops != null) {
                assertTrue(ops.size <= ChangeOps.MAX_OPS);
            }
        }
    }

    private void follow(ViewTree view, Consumer<Transaction> edit) {
        byte[] change = change(edit);
        RemoteTextEdit prepared = view.prepareTextEdit(change, reader);
        assertNotNull(prepared);
        reader.applyEncodedChanges(change);
        view.complete(prepared, reader);
    }

    private void assertFollowed(Consumer<Transaction> edit) {
        ViewTree view = viewOfReader();
        byte[] change = change(edit);
        RemoteTextEdit prepared = view.prepareTextEdit(change, reader);
        assertNotNull(prepared, "a text-only change is followed without patches");
        reader.applyEncodedChanges(change);
        view.complete(prepared, reader);
        assertEquals(1, view.textEdits());
        assertEquals(reader.text(text).orElseThrow(), textAt(view, "text"));
        assertEquals(
                JsonTrees.toJackson(TreeReader.readMap(reader, ObjectId.ROOT)),
                JsonTrees.toJackson(view.current(null).root()));
    }

    private void assertLeftToPatches(String what, Consumer<Transaction> edit) {
        ViewTree view = viewOfReader();
        byte[] change = change(edit);
        assertNull(view.prepareTextEdit(change, reader), what);
        reader.applyEncodedChanges(change);
    }

    private ViewTree viewOfReader() {
        ViewTree view = new ViewTree();
        view.current(reader);
        return view;
    }

    private static String textAt(ViewTree view, String key) {
        return ((TextObject) view.current(null).root().get(key)).rope().toString();
    }

    private byte[] change(Consumer<Transaction> edit) {
        ChangeHash[] heads = author.getHeads();
        try (Transaction tx = author.startTransaction()) {
            edit.accept(tx);
            tx.commit();
        }
        return author.encodeChangesSince(heads);
    }
}
