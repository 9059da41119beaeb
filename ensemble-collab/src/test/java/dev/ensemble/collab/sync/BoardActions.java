package dev.ensemble.collab.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ensemble.collab.DocumentTransaction;
import dev.ensemble.collab.DocumentVersion;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** What tests do to a {@link BoardActor}. */
public interface BoardActions {
    void retitle(String title);

    void insertItem(int index, String item);

    void removeItem(int index);

    void appendMany(String prefix, int count);

    void bump(long by);

    void typeNote(int position, String text);

    void resyncNow();

    void badEdit();

    /** Any edit, as one change; the future fails as the edit does. */
    CompletableFuture<Void> edit(Consumer<DocumentTransaction> edit);

    CompletableFuture<ObjectNode> tree();

    CompletableFuture<DocumentVersion> currentVersion();

    CompletableFuture<Board> boardAt(DocumentVersion version);

    CompletableFuture<java.util.Map<dev.ensemble.transport.PeerId, dev.ensemble.collab.PeerSyncStatus>> peersInSync();
}
