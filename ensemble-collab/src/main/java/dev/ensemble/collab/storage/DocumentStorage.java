package dev.ensemble.collab.storage;

/**
 * Durable storage of collaboration documents as opaque bytes: per document, one snapshot plus a
 * log of changes appended after it.
 *
 * <p>The bytes are whatever the caller gives; for Automerge, a snapshot is {@code Document.save()}
 * and a change is the output of {@code Document.encodeChangesSince(headsAtLastAppend)}. Every
 * appended change gets the next <em>sequence number</em> of its document (1, 2, 3, ...). A snapshot
 * is stored together with the sequence number of the last change it covers; changes up to that
 * number are then no longer needed and are dropped, later ones are kept.
 *
 * <h2>Usage by a document owner</h2>
 * <pre>{@code
 * StoredDocument stored = storage.load(id);                  // on start
 * Document doc = stored.snapshot().map(Document::load).orElseGet(Document::new);
 * stored.changes().forEach(doc::applyEncodedChanges);
 * long covered = stored.lastSequence();
 *
 * covered = storage.append(id, doc.encodeChangesSince(heads)); // after each local change
 *
 * storage.compact(id, doc.save(), covered);                  // from time to time
 * }</pre>
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>When {@link #append} or {@link #compact} returns normally, the data is durable: it
 *       survives a crash of the process or the machine. When it throws, the data is not known
 *       to be durable; a failed change may or may not be present after a restart, so callers
 *       must keep changes idempotent (Automerge changes are).</li>
 *   <li>{@link #load} never throws because of damaged data: it returns what can be recovered and
 *       lists the rest as {@link StoredDocument#problems()}, each naming file and offset.</li>
 *   <li>A snapshot compacted with {@code coveredSequence = n} plus the changes numbered after
 *       {@code n} always load together, also when changes were appended while the snapshot was
 *       being written.</li>
 * </ul>
 *
 * <h2>Document ids</h2>
 * An id may become a file name, so it must be 1 to 128 characters from {@code [A-Za-z0-9._-]},
 * not starting with {@code '.'}; anything else is rejected with an
 * {@link IllegalArgumentException} naming the rule. Avoid ids differing only in case: on a
 * case-insensitive file system they name the same document.
 *
 * <h2>Threading</h2>
 * Implementations are thread-safe. Operations on one document are serialised, except that
 * {@link #compact} writes the snapshot without blocking {@link #append} of the same document.
 * Different documents do not block each other. The usual caller is the document's owning actor
 * calling from its own turn (or from one I/O executor it hands the work to); every method
 * blocks on disk I/O, so call it from a dispatcher where blocking is allowed.
 */
public interface DocumentStorage extends AutoCloseable {

    /** Longest document id accepted, in characters. */
    int MAX_DOCUMENT_ID_LENGTH = DocumentIds.MAX_LENGTH;

    /**
     * Loads everything stored for a document.
     *
     * <p>Thread-safe. Damaged data is cut off (so that later appends follow intact data), logged
     * at WARN and reported in {@link StoredDocument#problems()}; everything before it loads.
     *
     * @param documentId the document's id
     * @return the stored document; {@link StoredDocument#empty()} if nothing was stored
     * @throws StorageException if the storage itself cannot be read at all
     * @throws IllegalArgumentException if {@code documentId} breaks the id rule
     * @throws IllegalStateException if the storage is closed
     */
    StoredDocument load(String documentId) throws StorageException;

    /**
     * Appends one change to the document's log and makes it durable before returning.
     *
     * <p>Thread-safe.
     *
     * @param documentId the document's id
     * @param change the change bytes; copied, may be empty
     * @return the sequence number given to the change
     * @throws StorageException if the change could not be made durable (disk full, failed fsync)
     * @throws IllegalArgumentException if the id breaks the id rule or the change is too large
     * @throws IllegalStateException if the storage is closed
     */
    long append(String documentId, byte[] change) throws StorageException;

    /**
     * Replaces the document's snapshot and drops the changes it covers, atomically with respect to
     * crashes: after a crash at any point either the old snapshot with all changes or the new
     * snapshot with every change after {@code coveredSequence} loads.
     *
     * <p>Thread-safe; compactions of one document run one at a time, and appends continue while
     * the snapshot is written.
     *
     * @param documentId the document's id
     * @param snapshot the full document state; copied
     * @param coveredSequence the sequence number of the last change included in {@code snapshot}
     * @throws StorageException if the snapshot could not be made durable; the old one stays
     * @throws IllegalArgumentException if the id breaks the id rule, the snapshot is too large,
     *     {@code coveredSequence} is beyond the last appended change or behind the stored snapshot
     * @throws IllegalStateException if the storage is closed
     */
    void compact(String documentId, byte[] snapshot, long coveredSequence) throws StorageException;

    /**
     * Tells whether anything is stored for a document, without keeping anything of it open: a
     * server asked for ids it has never seen (perhaps by a hostile client) asks this first.
     *
     * <p>Thread-safe. The default loads the document.
     *
     * @param documentId the document's id
     * @return true if a snapshot or a change may be stored for it
     * @throws StorageException if the storage itself cannot be read
     * @throws IllegalArgumentException if {@code documentId} breaks the id rule
     * @throws IllegalStateException if the storage is closed
     */
    default boolean contains(String documentId) throws StorageException {
        return !load(documentId).isEmpty();
    }

    /**
     * Lets go of what is held open for a document (a file storage keeps the change log of every
     * document it appended to open); the next operation on it opens what it needs again. For an
     * owner that has stopped using a document, so that a storage of many documents does not hold
     * a file per document ever written.
     *
     * <p>Call it only while no other operation on this document runs or starts: an operation that
     * overlaps it may fail with {@link IllegalStateException}. The default does nothing.
     *
     * @param documentId the document's id
     */
    default void release(String documentId) {}

    /**
     * Deletes everything stored for a document; loading it afterwards gives an empty document and
     * its sequence numbers start again at 1.
     *
     * <p>Thread-safe.
     *
     * @param documentId the document's id
     * @throws StorageException if the files could not be deleted
     * @throws IllegalArgumentException if {@code documentId} breaks the id rule
     * @throws IllegalStateException if the storage is closed
     */
    void delete(String documentId) throws StorageException;

    /**
     * Releases files and locks. Later calls of the other methods throw
     * {@link IllegalStateException}; closing twice does nothing.
     *
     * <p>Thread-safe, but call it only after the callers of this storage have stopped.
     *
     * @throws StorageException if releasing a file failed
     */
    @Override
    void close() throws StorageException;
}
