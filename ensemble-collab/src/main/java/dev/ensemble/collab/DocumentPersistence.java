package dev.ensemble.collab;

import dev.ensemble.collab.storage.DocumentStorage;
import dev.ensemble.collab.storage.StorageException;
import dev.ensemble.collab.storage.StorageProblem;
import dev.ensemble.collab.storage.StoredDocument;
import dev.ensemble.collab.sync.Heads;
import org.automerge.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link CollaborationActor}'s document in its {@link DocumentStorage}: loads it on start,
 * appends the changes of each batch, and compacts the log into a snapshot every {@value
 * #COMPACT_AFTER_CHANGES} appends. automerge-java 0.0.7 has no incremental save, so an append is
 * {@code encodeChangesSince} the heads last saved.
 *
 * <p>Turn-owned by the actor, like the document.
 */
final class DocumentPersistence {
    private static final Logger LOG = LoggerFactory.getLogger(DocumentPersistence.class);
    /** Appends before the log is compacted into a snapshot. */
    static final int COMPACT_AFTER_CHANGES = 1000;

    private final DocumentStorage storage;
    private final String documentId;
    private Heads savedHeads;
    private long lastSequence;
    private int changesSinceCompaction;
    private boolean loadedWithProblems;

    DocumentPersistence(DocumentStorage storage, String documentId) {
        this.storage = storage;
        this.documentId = documentId;
    }

    /**
     * Loads the stored document: its snapshot (or the initial change) and the changes appended
     * after it. Problems the storage recovered from are logged.
     *
     * @param genesis makes the initial change, for a log without a snapshot
     * @return the document, or null if the storage holds nothing of it
     * @throws StorageException if the storage cannot be read
     */
    Document load(java.util.function.Supplier<Document> genesis) throws StorageException {
        StoredDocument stored = storage.load(documentId);
        for (StorageProblem problem : stored.problems()) {
            LOG.warn("document {}: storage recovered with a problem: {}", documentId, problem);
        }
        lastSequence = stored.lastSequence();
        loadedWithProblems = !stored.problems().isEmpty();
        if (stored.isEmpty()) {
            return null;
        }
        Document loaded = stored.snapshot().map(Document::load).orElseGet(genesis);
        for (byte[] change : stored.changes()) {
            loaded.applyEncodedChanges(change);
        }
        return loaded;
    }

    /**
     * @return whether the last {@link #load} recovered from problems: a change lost from the middle
     *     of the log leaves those after it held back by Automerge for want of it
     */
    boolean loadedWithProblems() {
        return loadedWithProblems;
    }

    /** Takes the document's heads as saved: the changes after them are appended by {@link #persist}. */
    void savedAt(Heads heads) {
        savedHeads = heads;
    }

    /**
     * Appends what changed since the last save, and compacts when due.
     *
     * @throws StorageException if the storage refused; the same changes are tried again next time
     */
    void persist(AutomergeDocument document) throws StorageException {
        Heads heads = document.heads();
        if (heads.equals(savedHeads)) {
            return;
        }
        lastSequence = storage.append(documentId, document.changesSince(savedHeads));
        savedHeads = heads;
        if (++changesSinceCompaction >= COMPACT_AFTER_CHANGES) {
            storage.compact(documentId, document.save(), lastSequence);
            changesSinceCompaction = 0;
        }
    }
}
