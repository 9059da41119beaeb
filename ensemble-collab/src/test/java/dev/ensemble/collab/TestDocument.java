package dev.ensemble.collab;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ensemble.collab.sync.Heads;
import dev.ensemble.collab.sync.RejectedInputException;
import dev.ensemble.collab.sync.SyncDocument;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The document a {@link CollaborationActor} gives its sync engine ({@link AutomergeDocument}), for
 * engine tests that run without an actor: created from the same genesis, edited through the same
 * transactions. Confined to the test's thread; {@link #free()} it.
 */
public final class TestDocument implements SyncDocument {
    /** The view of test documents: one collaborative text and a list. */
    public record Note(String text, java.util.List<String> items) {}

    private final AutomergeDocument document;

    private TestDocument(AutomergeDocument document) {
        this.document = document;
    }

    /**
     * @param documentId the document's id (peers with the same id share the initial change)
     * @return a document holding only the initial change: an empty text and list
     */
    public static TestDocument create(String documentId) {
        CollaborationSettings<Note> settings = CollaborationSettings.builder(
                        documentId, Note.class, new Note("", java.util.List.of()))
                .build();
        return new TestDocument(new AutomergeDocument(
                Genesis.withOwnActor(Genesis.document(settings)), Genesis.heads(settings), settings.mapper(), false));
    }

    /**
     * Edits the document in one change, as {@code CollaborationActor.change} does.
     *
     * @return whether anything changed
     */
    public boolean edit(Consumer<DocumentTransaction> edit) {
        return document.change(edit);
    }

    /** @return the content, for comparing peers */
    public ObjectNode tree() {
        return document.tree();
    }

    public void free() {
        document.free();
    }

    @Override
    public Heads heads() {
        return document.heads();
    }

    @Override
    public Heads initialHeads() {
        return document.initialHeads();
    }

    @Override
    public PeerState newPeerState() {
        return document.newPeerState();
    }

    @Override
    public PeerState peerStateSharing(Heads shared) {
        return document.peerStateSharing(shared);
    }

    @Override
    public Optional<byte[]> generateSyncMessage(PeerState peer) {
        return document.generateSyncMessage(peer);
    }

    @Override
    public void receiveSyncMessage(PeerState peer, byte[] message) throws RejectedInputException {
        document.receiveSyncMessage(peer, message);
    }

    @Override
    public void applyChanges(byte[] changes) throws RejectedInputException {
        document.applyChanges(changes);
    }

    @Override
    public Heads mergeSnapshot(byte[] saved) throws RejectedInputException {
        return document.mergeSnapshot(saved);
    }

    @Override
    public byte[] changesSince(Heads heads) {
        return document.changesSince(heads);
    }

    @Override
    public byte[] save() {
        return document.save();
    }
}
