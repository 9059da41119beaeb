package dev.ensemble.benchmarks.collab;

import dev.ensemble.collab.CollaborationActor;
import dev.ensemble.collab.CollaborationSettings;
import dev.ensemble.collab.DocPath;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link CollaborationActor} holding one text, edited one Automerge change per splice: the
 * subject of the collaboration benchmarks. Confined to its turns like every actor.
 *
 * <pre>{@code
 * ActorSystem system = ActorSystem.builder("bench")
 *     .add(PAPER, () -> new PaperActor(CollaborationSettings.builder("paper", Paper.class, Paper.EMPTY).build()))
 *     .start();
 * }</pre>
 */
public final class PaperActor extends CollaborationActor<Paper> implements PaperActions {
    private static final DocPath TEXT = DocPath.of("text");

    /**
     * @param settings the document id, the peers and the timers; the view type is {@link Paper}
     */
    public PaperActor(CollaborationSettings<Paper> settings) {
        super(settings);
    }

    @Override
    public void splice(int position, int deleteCount, String insert) {
        change(tx -> tx.spliceText(TEXT, position, deleteCount, insert));
    }

    @Override
    public void replay(EditTrace trace, int from, int to) {
        for (int i = from; i < to; i++) {
            int edit = i;
            change(tx -> tx.spliceText(TEXT, trace.position(edit), trace.deleteCount(edit), trace.insert(edit)));
        }
    }

    @Override
    public void runResync() {
        resync();
    }

    @Override
    public CompletableFuture<Boolean> caughtUp() {
        return reply(view() != null);
    }

    @Override
    public CompletableFuture<String> text() {
        return reply(view().text().toString());
    }
}
