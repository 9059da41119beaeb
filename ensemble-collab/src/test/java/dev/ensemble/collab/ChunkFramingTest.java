package dev.ensemble.collab;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.automerge.ChangeHash;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.automerge.Transaction;
import org.junit.jupiter.api.Test;

/** The framing checks made before Automerge sees a peer's bytes. */
class ChunkFramingTest {

    @Test
    void onlyASavedDocumentAloneIsOneDocument() {
        Document doc = new Document();
        try {
            put(doc, "a");
            byte[] saved = doc.save();
            ChangeHash[] heads = doc.getHeads();
            put(doc, "b");
            byte[] change = doc.encodeChangesSince(heads);
            byte[] savedAndChange = Arrays.copyOf(saved, saved.length + change.length);
            System.arraycopy(change, 0, savedAndChange, saved.length, change.length);

            assertTrue(ChunkFraming.isOneDocument(saved));
            assertFalse(ChunkFraming.isOneDocument(savedAndChange), "a change after it may be held back");
            assertFalse(ChunkFraming.isOneDocument(change), "a change chunk is not a document");
            assertFalse(ChunkFraming.isOneDocument(Arrays.copyOf(saved, saved.length - 1)), "cut short");
            assertFalse(ChunkFraming.isOneDocument(new byte[0]));
            assertNull(ChunkFraming.problem(savedAndChange));
            assertNotNull(ChunkFraming.problem(Arrays.copyOf(change, change.length - 1)));
        } finally {
            doc.free();
        }
    }

    private static void put(Document doc, String value) {
        try (Transaction tx = doc.startTransaction()) {
            tx.set(ObjectId.ROOT, "key", value);
            tx.commit();
        }
    }
}
