package dev.ensemble.collab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.automerge.ChangeHash;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.automerge.Transaction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A change that Automerge held back for want of a dependency is released by a later push whose
 * own changes come one after another, and the released change is concurrent with one of them.
 * The push passes the view's linearity check (see {@code ChangeChain}) and is applied with a patch
 * log that also holds the released change; the view must still equal a full read of the document,
 * whichever of the two concurrent values wins, and the JVM must survive the conflict.
 *
 * <pre>
 *   genesis ── Z ── W(k = "p") ── V        pushed as one chain [Z, W, V]: each after the one before
 *               \                 /
 *                X(k = "q") ─────          pushed earlier, alone: held back until Z arrives
 * </pre>
 */
class HeldBackChangesTest {

    /**
     * W and X write with the same counter, so the actor ids decide which value wins; both orders
     * are tried.
     */
    @ParameterizedTest(name = "the writer''s actor id {0} the other''s")
    @ValueSource(strings = {"above", "below"})
    void aHeldBackChangeReleasedByALinearPushMakesTheViewReadTheDocument(String order) throws Exception {
        CollaborationSettings<TestDocument.Note> settings = CollaborationSettings.builder(
                        "held-back", TestDocument.Note.class, new TestDocument.Note("", List.of()))
                .build();
        AutomergeDocument ours = fresh(settings);
        boolean writerAbove = order.equals("above");
        Document writer = Genesis.document(settings).fork(actor(writerAbove ? 0x7f : 0x01));
        Document other = null;
        try {
            ChangeHash[] genesis = writer.getHeads();
            put(writer, "z", "1");
            ChangeHash[] afterZ = writer.getHeads();
            byte[] z = writer.encodeChangesSince(genesis);
            other = writer.fork(actor(writerAbove ? 0x01 : 0x7f));
            put(other, "k", "q");
            byte[] x = other.encodeChangesSince(afterZ);
            put(writer, "k", "p");
            byte[] w = writer.encodeChangesSince(afterZ);
            writer.applyEncodedChanges(x);
            ChangeHash[] afterWAndX = writer.getHeads();
            put(writer, "v", "1");
            byte[] v = writer.encodeChangesSince(afterWAndX);

            ours.view();
            ours.applyChanges(x);
            ByteArrayOutputStream chain = new ByteArrayOutputStream();
            chain.write(z);
            chain.write(w);
            chain.write(v);
            ours.applyChanges(chain.toByteArray());

            ObjectNode full = ours.tree();
            assertEquals(full, ours.view().toJackson());
            assertEquals(writerAbove ? "p" : "q", full.get("k").asText());
        } finally {
            ours.free();
            writer.free();
            if (other != null) {
                other.free();
            }
        }
    }

    /**
     * A keystroke that releases a held-back keystroke, which came after it, is followed without
     * patches; the heads and the view must then include the released one (the document's heads
     * are asked for, not assumed, once anything was held back).
     */
    @org.junit.jupiter.api.Test
    void aHeldBackKeystrokeReleasedByAFollowedKeystrokeIsInTheViewAndTheHeads() throws Exception {
        CollaborationSettings<TestDocument.Note> settings = CollaborationSettings.builder(
                        "held-back-text", TestDocument.Note.class, new TestDocument.Note("", List.of()))
                .build();
        AutomergeDocument ours = fresh(settings);
        Document writer = Genesis.document(settings).fork(actor(0x11));
        Document other = null;
        try {
            ObjectId text = ((org.automerge.AmValue.Text)
                            writer.get(ObjectId.ROOT, "text").orElseThrow())
                    .getId();
            ChangeHash[] genesis = writer.getHeads();
            splice(writer, text, 0, "ab");
            byte[] first = writer.encodeChangesSince(genesis);
            ours.applyChanges(first);
            ours.view();
            ChangeHash[] afterFirst = writer.getHeads();
            splice(writer, text, 1, "c");
            byte[] z = writer.encodeChangesSince(afterFirst);
            ChangeHash[] afterZ = writer.getHeads();
            other = writer.fork(actor(0x22));
            splice(other, text, 3, "d");
            byte[] x = other.encodeChangesSince(afterZ);

            ours.applyChanges(x);
            ours.applyChanges(z);

            assertEquals("acbd", ours.view().toJackson().get("text").asText());
            assertEquals(ours.tree(), ours.view().toJackson());
            Document copy = Document.load(ours.save());
            try {
                assertEquals(AutomergeDocument.heads(copy.getHeads()), ours.heads());
            } finally {
                copy.free();
            }
        } finally {
            ours.free();
            writer.free();
            if (other != null) {
                other.free();
            }
        }
    }

    private static AutomergeDocument fresh(CollaborationSettings<TestDocument.Note> settings) {
        return new AutomergeDocument(
                Genesis.withOwnActor(Genesis.document(settings)), Genesis.heads(settings), settings.mapper(), false);
    }

    private static void splice(Document document, ObjectId text, int at, String insert) {
        try (Transaction tx = document.startTransaction()) {
            tx.spliceText(text, at, 0, insert);
            tx.commit();
        }
    }

    private static void put(Document document, String key, String value) {
        try (Transaction tx = document.startTransaction()) {
            tx.set(ObjectId.ROOT, key, value);
            tx.commit();
        }
    }

    private static byte[] actor(int fill) {
        byte[] id = new byte[16];
        java.util.Arrays.fill(id, (byte) fill);
        return id;
    }
}
