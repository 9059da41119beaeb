package dev.ensemble.collab.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link DocumentStorage#load} found for one document: the latest snapshot (if any), the
 * changes appended after it in append order, the sequence numbers needed for the next
 * {@link DocumentStorage#compact}, and any data that could not be recovered.
 *
 * <p>To rebuild an Automerge document, load the snapshot and then apply every change in order:
 * <pre>{@code
 * StoredDocument stored = storage.load(documentId);
 * Document doc = stored.snapshot().map(Document::load).orElseGet(Document::new);
 * for (byte[] change : stored.changes()) {
 *     doc.applyEncodedChanges(change);
 * }
 * long coveredSequence = stored.lastSequence();   // what a snapshot saved now covers
 * }</pre>
 *
 * <p>Immutable and thread-safe: the accessors return copies of the bytes.
 */
public final class StoredDocument {

    private final byte[] snapshot;
    private final long snapshotSequence;
    private final List<byte[]> changes;
    private final long lastSequence;
    private final List<StorageProblem> problems;

    /**
     * Creates a loaded document; copies every array.
     *
     * @param snapshot the snapshot bytes, or {@code null} if there is none
     * @param snapshotSequence the last change sequence number the snapshot covers (0 if none)
     * @param changes the changes after the snapshot, in append order
     * @param lastSequence the highest sequence number ever appended and still known
     * @param problems data that could not be recovered
     */
    public StoredDocument(
            byte[] snapshot,
            long snapshotSequence,
            List<byte[]> changes,
            long lastSequence,
            List<StorageProblem> problems) {
        if (snapshotSequence < 0 || lastSequence < snapshotSequence) {
            throw new IllegalArgumentException("sequences must satisfy 0 <= snapshotSequence <= lastSequence,"
                    + " was snapshotSequence=" + snapshotSequence + ", lastSequence=" + lastSequence);
        }
        this.snapshot = snapshot == null ? null : snapshot.clone();
        this.snapshotSequence = snapshotSequence;
        List<byte[]> copies = new ArrayList<>(changes.size());
        for (byte[] change : changes) {
            copies.add(Objects.requireNonNull(change, "change").clone());
        }
        this.changes = copies;
        this.lastSequence = lastSequence;
        this.problems = List.copyOf(problems);
    }

    /**
     * Returns an empty document: what loading a never-written document gives.
     *
     * @return a document with no snapshot, no changes and no problems
     */
    public static StoredDocument empty() {
        return new StoredDocument(null, 0, List.of(), 0, List.of());
    }

    /** @return a copy of the latest snapshot, if one was stored and readable */
    public Optional<byte[]> snapshot() {
        return Optional.ofNullable(snapshot).map(byte[]::clone);
    }

    /** @return the sequence number of the last change the snapshot covers; 0 without a snapshot */
    public long snapshotSequence() {
        return snapshotSequence;
    }

    /** @return copies of the changes appended after the snapshot, oldest first */
    public List<byte[]> changes() {
        List<byte[]> copies = new ArrayList<>(changes.size());
        for (byte[] change : changes) {
            copies.add(change.clone());
        }
        return copies;
    }

    /** @return the number of changes, without copying them */
    public int changeCount() {
        return changes.size();
    }

    /**
     * Returns the highest change sequence number known for this document: a snapshot saved from a
     * document that has applied everything loaded here covers this sequence number.
     *
     * @return the highest sequence number, 0 for a new document
     */
    public long lastSequence() {
        return lastSequence;
    }

    /** @return the data that could not be recovered; empty when everything loaded */
    public List<StorageProblem> problems() {
        return problems;
    }

    /** @return true if nothing is stored: no snapshot and no changes */
    public boolean isEmpty() {
        return snapshot == null && changes.isEmpty();
    }

    @Override
    public String toString() {
        return "StoredDocument[snapshot=" + (snapshot == null ? "none" : snapshot.length + " bytes")
                + ", snapshotSequence=" + snapshotSequence + ", changes=" + changes.size()
                + ", lastSequence=" + lastSequence + ", problems=" + problems + "]";
    }
}
