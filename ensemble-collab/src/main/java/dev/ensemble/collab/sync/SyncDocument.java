package dev.ensemble.collab.sync;

import java.util.Optional;

/**
 * INTERNAL API. The document as the {@link SyncEngine} sees it: the one port through which the
 * engine reads and changes the Automerge document of a collaboration actor. The implementation
 * holds the Automerge {@code Document} and makes every Automerge call; the engine only decides
 * when to make which.
 *
 * <p>Every method that applies input from a peer ({@link #receiveSyncMessage}, {@link
 * #applyChanges}, {@link #mergeSnapshot}) is a place where the document changes without a local
 * transaction, so an implementation that needs to observe such changes (to refresh caches, or to
 * capture patches for incremental views) does it here.
 *
 * <h2>Threading</h2>
 *
 * Not thread-safe, and not even safe to use from two threads one after the other without a
 * happens-before edge: Automerge's native objects crash the JVM when touched concurrently. The
 * owner (a collaboration actor) calls it only inside its turns, and so does the engine it owns.
 * {@link PeerState}s belong to the document that made them and are freed by their owner.
 */
public interface SyncDocument {
    /** @return the document's current heads */
    Heads heads();

    /** @return the heads of the initial change every peer writes identically (a document holding only it is empty) */
    Heads initialHeads();

    /** @return a fresh Automerge sync state, for a peer nothing is known about */
    PeerState newPeerState();

    /**
     * Returns an Automerge sync state that knows only which heads both sides share, as after
     * decoding a persisted one: nothing is in flight and nothing is known of the peer's needs.
     *
     * @param shared heads both sides hold, possibly {@link Heads#NONE}
     * @return the new state
     */
    PeerState peerStateSharing(Heads shared);

    /**
     * The next Automerge sync message for a peer, or nothing if Automerge has nothing to say
     * (the peer is up to date, or a message is in flight and the heads have not changed).
     *
     * @param peer the sync state with the peer; updated (what was sent, the heads sent)
     * @return the message
     */
    Optional<byte[]> generateSyncMessage(PeerState peer);

    /**
     * Applies an Automerge sync message from a peer.
     *
     * @param peer the sync state with the peer; updated
     * @param message the message
     * @throws RejectedInputException if Automerge cannot read or apply it; some of its changes may
     *     have been applied before the failure
     */
    void receiveSyncMessage(PeerState peer, byte[] message) throws RejectedInputException;

    /**
     * Applies encoded changes from a peer. Changes whose dependencies are missing are held back
     * by Automerge until they arrive.
     *
     * @param changes changes as {@link #changesSince} encodes them
     * @throws RejectedInputException if Automerge cannot read or apply them; some may have been
     *     applied before the failure
     */
    void applyChanges(byte[] changes) throws RejectedInputException;

    /**
     * Merges a saved document from a peer. A document holding only the initial change adopts
     * the snapshot instead (a load, where a merge would apply its whole history again).
     *
     * @param saved a document as {@link #save()} writes it
     * @return the heads of the snapshot, which both sides now hold
     * @throws RejectedInputException if Automerge cannot load or merge it; the document is unchanged
     */
    Heads mergeSnapshot(byte[] saved) throws RejectedInputException;

    /**
     * @param heads a version this document holds
     * @return the changes made since, encoded for {@link #applyChanges} (empty if none)
     */
    byte[] changesSince(Heads heads);

    /** @return the whole document, compacted */
    byte[] save();

    /**
     * INTERNAL API. An Automerge sync state with one peer: what both sides share, and what is in
     * flight. Owned by one {@link PeerSession}; touched only on the document's thread.
     */
    interface PeerState {
        /** @return the heads both sides are known to share */
        Heads sharedHeads();

        /** Releases the native memory. Nothing may use the state afterwards. */
        void free();
    }
}
