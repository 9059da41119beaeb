package dev.ensemble.benchmarks.collab;

import dev.ensemble.collab.CollaborationActor;
import dev.ensemble.collab.CollaborationSettings;
import dev.ensemble.collab.DocPath;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link CollaborationActor} holding one text per peer of a room of four ({@link Drafts}),
 * edited one Automerge change per splice. Confined to its turns like every actor.
 */
public final class DraftsActor extends CollaborationActor<Drafts> implements DraftsActions {
    /**
     * @param settings the document id, the peers and the timers; the view type is {@link Drafts}
     */
    public DraftsActor(CollaborationSettings<Drafts> settings) {
        super(settings);
    }

    @Override
    public void replay(String field, EditTrace trace, int from, int to) {
        DocPath text = DocPath.of(field);
        for (int i = from; i < to; i++) {
            int edit = i;
            change(tx -> tx.spliceText(text, trace.position(edit), trace.deleteCount(edit), trace.insert(edit)));
        }
    }

    @Override
    public void runResync() {
        resync();
    }

    @Override
    public CompletableFuture<Drafts> drafts() {
        return reply(view());
    }
}
