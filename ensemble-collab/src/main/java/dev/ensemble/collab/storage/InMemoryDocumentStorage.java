package dev.ensemble.collab.storage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link DocumentStorage} that keeps everything on the heap: same contract as
 * {@link FileDocumentStorage}, nothing survives the JVM. For tests and for peers that do not
 * persist.
 *
 * <p>Thread-safe: every method takes one lock, so operations are linearisable. It never reports
 * problems and never fails to save.
 *
 * <pre>{@code
 * try (DocumentStorage storage = new InMemoryDocumentStorage()) {
 *     long seq = storage.append("notes", change);
 *     storage.compact("notes", snapshot, seq);
 * }
 * }</pre>
 */
public final class InMemoryDocumentStorage implements DocumentStorage {

    private record Change(long sequence, byte[] bytes) {}

    private static final class Entry {
        byte[] snapshot;
        long snapshotSequence;
        long lastSequence;
        final List<Change> changes = new ArrayList<>();
    }

    // Guarded by this; documents by id.
    private final Map<String, Entry> documents = new HashMap<>();
    // Guarded by this.
    private boolean closed;

    /** Creates an empty storage. */
    public InMemoryDocumentStorage() {}

    @Override
    public synchronized StoredDocument load(String documentId) {
        Entry entry = entry(documentId, false);
        if (entry == null) {
            return StoredDocument.empty();
        }
        List<byte[]> changes = new ArrayList<>(entry.changes.size());
        for (Change change : entry.changes) {
            changes.add(change.bytes());
        }
        return new StoredDocument(entry.snapshot, entry.snapshotSequence, changes, entry.lastSequence, List.of());
    }

    @Override
    public synchronized long append(String documentId, byte[] change) {
        Objects.requireNonNull(change, "change");
        Entry entry = entry(documentId, true);
        long sequence = entry.lastSequence + 1;
        entry.changes.add(new Change(sequence, change.clone()));
        entry.lastSequence = sequence;
        return sequence;
    }

    @Override
    public synchronized void compact(String documentId, byte[] snapshot, long coveredSequence) {
        Objects.requireNonNull(snapshot, "snapshot");
        Entry entry = entry(documentId, true);
        CompactionRule.check(documentId, coveredSequence, entry.snapshotSequence, entry.lastSequence);
        entry.snapshot = snapshot.clone();
        entry.snapshotSequence = coveredSequence;
        entry.changes.removeIf(change -> change.sequence() <= coveredSequence);
    }

    @Override
    public synchronized void delete(String documentId) {
        DocumentIds.requireValid(documentId);
        checkOpen();
        documents.remove(documentId);
    }

    @Override
    public synchronized void close() {
        closed = true;
        documents.clear();
    }

    private Entry entry(String documentId, boolean create) {
        DocumentIds.requireValid(documentId);
        checkOpen();
        return create ? documents.computeIfAbsent(documentId, id -> new Entry()) : documents.get(documentId);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("storage is closed: create a new InMemoryDocumentStorage");
        }
    }
}
