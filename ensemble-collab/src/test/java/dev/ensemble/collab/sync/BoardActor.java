package dev.ensemble.collab.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ensemble.collab.CollaborationActor;
import dev.ensemble.collab.CollaborationSettings;
import dev.ensemble.collab.DocPath;
import dev.ensemble.collab.DocumentTransaction;
import dev.ensemble.collab.DocumentVersion;
import dev.ensemble.transport.PeerId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** A collaboration actor over a {@link Board}, using both ways of writing. */
public class BoardActor extends CollaborationActor<Board> implements BoardActions {
    public BoardActor(CollaborationSettings<Board> settings) {
        super(settings);
    }

    static CollaborationSettings.Builder<Board> settings(String documentId) {
        return CollaborationSettings.builder(documentId, Board.class, Board.EMPTY)
                .genesis(tx -> tx.putCounter(DocPath.of("plays"), 0));
    }

    @Override
    public void retitle(String title) {
        update(board -> new Board(title, board.items(), board.plays(), board.notes()));
    }

    @Override
    public void insertItem(int index, String item) {
        int at = Math.min(index, view().items().size());
        if (index % 2 == 0) {
            change(tx -> tx.insert(DocPath.of("items"), at, item));
        } else {
            List<String> next = new ArrayList<>(view().items());
            next.add(at, item);
            update(new Board(view().title(), next, view().plays(), view().notes()));
        }
    }

    /** Many Automerge changes in one turn: one view decode and one sync round for all of them. */
    @Override
    public void appendMany(String prefix, int count) {
        DocPath items = DocPath.of("items");
        for (int i = 0; i < count; i++) {
            String item = prefix + i;
            change(tx -> tx.insert(items, (int) tx.length(items), item));
        }
    }

    @Override
    public void removeItem(int index) {
        if (view().items().isEmpty()) {
            return;
        }
        int at = index % view().items().size();
        change(tx -> tx.delete(DocPath.of("items", at)));
    }

    @Override
    public void bump(long by) {
        change(tx -> tx.increment(DocPath.of("plays"), by));
    }

    @Override
    public void typeNote(int position, String text) {
        int at = Math.min(
                position, view().notes().codePointCount(0, view().notes().length()));
        change(tx -> tx.spliceText(DocPath.of("notes"), at, 0, text));
    }

    @Override
    public void resyncNow() {
        resync();
    }

    @Override
    public void badEdit() {
        change(tx -> {
            tx.put(DocPath.of("title"), "half done");
            tx.delete(DocPath.of("no-such-key"));
        });
    }

    @Override
    public CompletableFuture<Void> edit(Consumer<DocumentTransaction> edit) {
        change(edit);
        return reply(null);
    }

    @Override
    public CompletableFuture<ObjectNode> tree() {
        return reply(documentTree());
    }

    @Override
    public CompletableFuture<DocumentVersion> currentVersion() {
        return reply(version());
    }

    @Override
    public CompletableFuture<Board> boardAt(DocumentVersion version) {
        return reply(viewAt(version));
    }

    @Override
    public CompletableFuture<Map<PeerId, dev.ensemble.collab.PeerSyncStatus>> peersInSync() {
        return reply(syncStatus());
    }
}
