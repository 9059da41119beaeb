package dev.ensemble.collab.storage;

/** The argument rule of {@link DocumentStorage#compact}, shared by every implementation. */
final class CompactionRule {

    private CompactionRule() {}

    static void check(String documentId, long coveredSequence, long snapshotSequence, long lastSequence) {
        if (coveredSequence > lastSequence) {
            throw new IllegalArgumentException("coveredSequence must not exceed the last appended sequence "
                    + lastSequence + " of document " + documentId + ", was " + coveredSequence
                    + ": pass the number returned by append (or StoredDocument.lastSequence())");
        }
        if (coveredSequence < snapshotSequence) {
            throw new IllegalArgumentException("coveredSequence must not be behind the stored snapshot of document "
                    + documentId + ", which covers " + snapshotSequence + ", was " + coveredSequence
                    + ": a newer snapshot is already stored");
        }
    }
}
