package dev.ensemble.collab.repo.server;

import dev.ensemble.collab.repo.DocumentId;
import dev.ensemble.collab.storage.DocumentStorage;
import dev.ensemble.collab.storage.StorageException;
import dev.ensemble.collab.storage.StoredDocument;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.automerge.ChangeHash;
import org.automerge.Document;
import org.automerge.SyncState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One document a {@link RepoSyncServer} holds in memory while clients have it open: the Automerge
 * document, one sync state per client, and what of it is already in storage. Loaded from storage
 * when the first client opens it, freed when the last one leaves.
 *
 * <p><em>Not thread-safe</em>: the Automerge objects crash the JVM when touched from two threads,
 * so only the sync server's thread uses it.
 */
final class ServedDocument {
    private static final Logger LOG = LoggerFactory.getLogger(ServedDocument.class);

    static {
        // automerge-java 0.0.7 breaks ObjectId for the whole JVM if a SyncState is made before the
        // first Document: make one here, before this class can make a SyncState.
        new Document().free();
    }

    /**
     * Changes since the last save, in bytes, beyond which the document is saved as a snapshot when
     * that is smaller: a first upload of a long history, or a client back from a long time offline.
     */
    static final int SNAPSHOT_INSTEAD_BYTES = 64 * 1024;

    private final DocumentId id;
    private final DocumentStorage storage;
    private final int compactEvery;
    private final Document document;
    private final Map<RepoServerSession, SyncState> peers = new LinkedHashMap<>();
    /** The heads storage holds: changes since them are not saved yet. */
    private ChangeHash[] savedHeads;

    private long lastSequence;
    private int appendsSinceCompact;

    private ServedDocument(
            DocumentId id, DocumentStorage storage, int compactEvery, Document document, long lastSequence) {
        this.id = id;
        this.storage = storage;
        this.compactEvery = compactEvery;
        this.document = document;
        this.savedHeads = document.getHeads();
        this.lastSequence = lastSequence;
    }

    /**
     * Loads a document from storage (an empty one if none is stored).
     *
     * @throws StorageException if the storage cannot be read
     * @throws IllegalStateException if stored bytes are not an Automerge document
     */
    static ServedDocument load(DocumentId id, DocumentStorage storage, int compactEvery) throws StorageException {
        // An id never stored (any client may name any id) leaves nothing behind in the storage.
        StoredDocument stored = storage.contains(id.toString()) ? storage.load(id.toString()) : StoredDocument.empty();
        Document document;
        try {
            document = stored.snapshot().map(Document::load).orElseGet(Document::new);
        } catch (RuntimeException e) {
            throw new IllegalStateException("the stored snapshot of " + id + " is not an Automerge document", e);
        }
        try {
            for (byte[] change : stored.changes()) {
                document.applyEncodedChanges(change);
            }
        } catch (RuntimeException e) {
            document.free();
            throw new IllegalStateException("a stored change of " + id + " is not an Automerge change", e);
        }
        if (!stored.problems().isEmpty()) {
            LOG.warn("document {}: loaded with storage problems {}", id, stored.problems());
        }
        return new ServedDocument(id, storage, compactEvery, document, stored.lastSequence());
    }

    DocumentId id() {
        return id;
    }

    /** @return true if the document has any change: a client can be given it */
    boolean hasContent() {
        return document.getHeads().length > 0;
    }

    boolean hasPeer(RepoServerSession peer) {
        return peers.containsKey(peer);
    }

    Iterable<RepoServerSession> peers() {
        return peers.keySet();
    }

    int peerCount() {
        return peers.size();
    }

    void addPeer(RepoServerSession peer) {
        peers.computeIfAbsent(peer, p -> new SyncState());
    }

    void removePeer(RepoServerSession peer) {
        SyncState state = peers.remove(peer);
        if (state != null) {
            state.free();
        }
    }

    /**
     * Applies a client's sync message.
     *
     * @return true if the document changed
     * @throws RuntimeException from Automerge if the message is not a valid sync message; the
     *     client's sync state is then replaced by a fresh one
     */
    boolean receive(RepoServerSession peer, byte[] message) {
        SyncState state = peers.get(peer);
        ChangeHash[] before = document.getHeads();
        try {
            document.receiveSyncMessage(state, message);
        } catch (RuntimeException e) {
            state.free();
            peers.put(peer, new SyncState());
            throw e;
        }
        return !Arrays.equals(before, document.getHeads());
    }

    /** @return the next sync message for a client, if there is anything to say */
    Optional<byte[]> syncMessageFor(RepoServerSession peer) {
        SyncState state = peers.get(peer);
        return state == null ? Optional.empty() : document.generateSyncMessage(state);
    }

    /**
     * Appends what changed since the last save to storage (fsynced when this returns), and
     * compacts every {@code compactEvery} appends; what changed is saved as a snapshot instead when
     * it is more than {@link #SNAPSHOT_INSTEAD_BYTES} and the snapshot is smaller.
     *
     * @throws StorageException if it could not be made durable; the next save tries again
     */
    void save() throws StorageException {
        ChangeHash[] heads = document.getHeads();
        if (Arrays.equals(heads, savedHeads)) {
            return;
        }
        byte[] changes = document.encodeChangesSince(savedHeads);
        if (changes.length > SNAPSHOT_INSTEAD_BYTES) {
            // A client that uploads a long history (the automerge-paper trace: 259,779 changes, 28 MB
            // encoded one by one, 129 KB saved) is stored as the compressed snapshot instead: less to
            // write and fsync, and the next load parses one snapshot, not every change.
            byte[] snapshot = document.save();
            if (snapshot.length < changes.length) {
                storage.compact(id.toString(), snapshot, lastSequence);
                savedHeads = heads;
                appendsSinceCompact = 0;
                return;
            }
        }
        lastSequence = storage.append(id.toString(), changes);
        savedHeads = heads;
        if (++appendsSinceCompact >= compactEvery) {
            storage.compact(id.toString(), document.save(), lastSequence);
            appendsSinceCompact = 0;
        }
    }

    /** Frees the document and every sync state, and lets the storage close its files. */
    void free() {
        peers.values().forEach(SyncState::free);
        peers.clear();
        document.free();
        storage.release(id.toString());
    }
}
